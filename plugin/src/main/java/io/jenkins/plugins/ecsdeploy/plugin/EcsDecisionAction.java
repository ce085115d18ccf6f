package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.InvisibleAction;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;

/**
 * The audit record of one decision at a gate, one action per decision, persisted in build.xml: who,
 * when, what, why, where (like the {@code input} step's ApproverAction, jenkinsci/pipeline-input-step-plugin; docs/jenkins-behaviour.md "The input step"). Listed by
 * {@link EcsApprovalAction}'s page and summary. A "Roll back now" of a running deployment (no gate,
 * {@link EcsProgressAction#doRollbackNow}) is recorded the same way, with decision ROLLBACK and no hook id.
 */
public final class EcsDecisionAction extends InvisibleAction implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String userId;
    private final String userName;
    private final long timestamp;
    private final String decision;
    private final String comment;
    private final String stage;
    private final String hookId;
    private final String deploymentArn;
    private final String service;

    EcsDecisionAction(String userId, String userName, long timestamp, String decision, String comment, String stage,
                      String hookId, String deploymentArn, String service) {
        this.userId = userId;
        this.userName = userName;
        this.timestamp = timestamp;
        this.decision = decision;
        this.comment = comment;
        this.stage = stage;
        this.hookId = hookId;
        this.deploymentArn = deploymentArn;
        this.service = service;
    }

    public String getUserId() { return userId; }
    public String getUserName() { return userName; }
    public long getTimestamp() { return timestamp; }
    public String getTimestampText() { return java.time.Instant.ofEpochMilli(timestamp).toString(); }
    /** CONTINUE or ROLLBACK. */
    public String getDecision() { return decision; }
    public String getComment() { return comment; }
    public String getStage() { return stage; }
    public String getHookId() { return hookId; }
    public String getDeploymentArn() { return deploymentArn; }
    public String getService() { return service; }

    /** True for a "Roll back now" of the running deployment, not a decision at a gate. */
    public boolean isRollbackNow() { return hookId == null; }

    @Override
    public String toString() {
        // user id and comment are untrusted: one line, control characters visible (engine SafeText), never raw
        return (decision.equals("CONTINUE") ? "Approved" : hookId == null ? "Rolled back now" : "Rolled back") + " by "
                + SafeText.line(String.valueOf(userId))
                + (stage == null ? "" : " at " + stage)
                + " (" + (hookId == null ? "" : "hook " + hookId + ", ") + getTimestampText() + ")"
                + (comment == null || comment.isEmpty() ? "" : ": " + SafeText.line(comment));
    }
}
