package org.kohsuke.stapler;

/** Stand-in. */
public interface HttpResponse {
    default void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws java.io.IOException, jakarta.servlet.ServletException {
        throw new UnsupportedOperationException("stand-in: HttpResponse.generateResponse is not emulated");
    }
}
