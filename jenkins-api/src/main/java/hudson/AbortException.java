package hudson;

import java.io.IOException;

/** Stand-in: a failure whose message Pipeline prints as a single "ERROR: ..." line (docs/jenkins-behaviour.md "Order of checks"). */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException() {
    }

    public AbortException(String message) {
        super(message);
    }
}
