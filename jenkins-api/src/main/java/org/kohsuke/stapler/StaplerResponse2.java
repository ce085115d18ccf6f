package org.kohsuke.stapler;

/** Stand-in. */
public interface StaplerResponse2 extends jakarta.servlet.http.HttpServletResponse {
    void forwardToPreviousPage(StaplerRequest2 request) throws jakarta.servlet.ServletException, java.io.IOException;
    void sendRedirect2(String url) throws java.io.IOException;
}
