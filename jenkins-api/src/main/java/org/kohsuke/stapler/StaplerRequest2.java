package org.kohsuke.stapler;

import net.sf.json.JSONObject;

/** Stand-in (exists in both profiles; the javax StaplerRequest is deprecated). */
public interface StaplerRequest2 extends jakarta.servlet.http.HttpServletRequest {
    <T> T bindJSON(Class<T> type, JSONObject src);
    void bindJSON(Object bean, JSONObject src);
    JSONObject getSubmittedForm() throws jakarta.servlet.ServletException;
    String getRestOfPath();
}
