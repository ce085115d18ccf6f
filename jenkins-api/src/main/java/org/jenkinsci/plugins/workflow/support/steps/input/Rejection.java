package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.User;
import jenkins.model.CauseOfInterruption;

/**
 * Stand-in: the cause of the {@code FlowInterruptedException(ABORTED)} an input's Abort fails the step with; keeps the
 * rejecting user's id and the time, and says "Rejected by &lt;display name&gt;" (or "Rejected" without a user)
 * (jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/Rejection.java:11-52;
 * Messages.properties rejected, rejected_by).
 */
public final class Rejection extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;
    private final String userName;
    private final long timestamp;

    public Rejection(User u) {
        this.userName = u == null ? null : u.getId();
        this.timestamp = System.currentTimeMillis();
    }

    public User getUser() {
        return userName != null ? User.getById(userName, true) : null;
    }

    public long getTimestamp() {
        return timestamp;
    }

    @Override
    public String getShortDescription() {
        User u = getUser();
        return u != null ? "Rejected by " + u.getDisplayName() : "Rejected";
    }
}
