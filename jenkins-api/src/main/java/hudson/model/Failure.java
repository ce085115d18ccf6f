package hudson.model;

import org.kohsuke.stapler.HttpResponse;

/**
 * Stand-in: an error whose message is shown to the user as it is (core renders it as an error page, HTTP 200 unless the
 * thrower sets another status; jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/Failure.java). The
 * input step throws it when a user may not settle an input or the input was already given.
 */
public class Failure extends RuntimeException implements HttpResponse {
    private static final long serialVersionUID = 1L;
    private final boolean pre;

    public Failure(String message) {
        this(message, false);
    }

    /** {@code pre}: the message is preformatted text. */
    public Failure(String message, boolean pre) {
        super(message);
        this.pre = pre;
    }
}
