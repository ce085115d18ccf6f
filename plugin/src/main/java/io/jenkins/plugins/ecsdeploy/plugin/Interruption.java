package io.jenkins.plugins.ecsdeploy.plugin;

import java.util.ArrayList;
import java.util.List;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;

/**
 * Why a waiting step was stopped, classified as docs/jenkins-behaviour.md "Telling an abort from a timeout" says: by cause type,
 * never by {@code isActualInterruption()} (it is still true inside a {@code timeout} body, "Stopping a step").
 */
record Interruption(Kind kind, String userId, String text) {
    enum Kind { FAILURE, USER_ABORT, TIMEOUT, ABORT, OTHER }

    /** The class {@code timeout} uses; matched by name so we need no dependency on workflow-basic-steps. */
    static final String EXCEEDED_TIMEOUT = "org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution$ExceededTimeout";

    static Interruption classify(Throwable t) {
        if (!(t instanceof FlowInterruptedException fie)) {
            return new Interruption(Kind.FAILURE, null, t == null ? "failed" : String.valueOf(t.getMessage()));
        }
        List<CauseOfInterruption> causes = fie.getCauses();
        for (CauseOfInterruption c : causes) {
            if (c instanceof CauseOfInterruption.UserInterruption u) {
                return new Interruption(Kind.USER_ABORT, u.getUserId(), "aborted by " + u.getUserId());
            }
        }
        for (CauseOfInterruption c : causes) {
            if (c.getClass().getName().equals(EXCEEDED_TIMEOUT)) {
                return new Interruption(Kind.TIMEOUT, null, "timed out (Jenkins timeout step)");
            }
        }
        if (causes.isEmpty()) {
            return new Interruption(Kind.ABORT, null, "aborted");
        }
        List<String> d = new ArrayList<>();
        for (CauseOfInterruption c : causes) {
            d.add(c.getShortDescription());
        }
        return new Interruption(Kind.OTHER, null, String.join(", ", d));
    }
}
