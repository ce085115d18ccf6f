package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.InvisibleAction;

/**
 * Stand-in: the id of a user who proceeded an input, added to the run by {@code InputStepExecution.proceed}
 * (jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/ApproverAction.java:41-53).
 */
public class ApproverAction extends InvisibleAction {
    private final String userId;

    public ApproverAction(String userId) {
        this.userId = userId;
    }

    public String getUserId() {
        return userId;
    }
}
