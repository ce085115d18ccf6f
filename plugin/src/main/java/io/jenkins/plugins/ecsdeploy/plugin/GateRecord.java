package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import java.util.List;

/**
 * One gate offered in a build (persisted in build.xml by {@link EcsApprovalAction}): enough ids to call
 * ContinueServiceDeployment without the step that offered it (so a click works while the pipeline does
 * something else, and after a restart), plus the state of the decision.
 */
public final class GateRecord implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** WAITING until decided; then APPROVED, ROLLED_BACK, TIMED_OUT, DECIDED_ELSEWHERE or CLOSED. */
    public enum Status { WAITING, APPROVED, ROLLED_BACK, TIMED_OUT, DECIDED_ELSEWHERE, CLOSED }

    String hookId;
    String stage;
    String deploymentArn;
    String region;
    String accountId;
    String cluster;
    String service;
    String credentialsId;
    String roleArn;
    String recordId;
    String submitter;
    String message;
    String ok;
    /** End of the Jenkins approval window (epoch ms; engine clock); ECS times out APPROVAL_TIMEOUT_MARGIN later. */
    long decideBy;
    /** When ECS itself applies the timeout action (epoch ms). */
    long ecsExpiresAt;
    String timeoutAction;
    Status status = Status.WAITING;
    String decidedBy;
    String comment;
    long decidedAt;
    String note;
    /** CONTINUE or ROLLBACK once decided (by Jenkins or, for DECIDED_ELSEWHERE, as ECS reports it). */
    String decidedAction;
    /** A Jenkins decision is being sent to ECS: events seen meanwhile must not close the record (and must not wait for it). */
    transient volatile boolean deciding;
    /**
     * The id of the pipeline-input-step input that answers this gate ({@code ecsApprove}); null for gates decided
     * directly (freestyle, a deploy step's own {@code approval}). A click on our pages then proceeds or aborts that input.
     */
    String inputId;
    /** The comment typed on our page for the click that is answering the input now, and whose click it is. */
    String pendingComment;
    String pendingBy;

    // approval policy (docs/approvals.md "Approval policy"); 0 / null = the defaults. submitter holds the approvers.
    /** Distinct approvers needed (0 or 1: one). */
    int required;
    /** Users who may not approve, and/or "starter". */
    String notBy;
    /** Users or groups who may roll back at this gate (null: Job/Build, Job/Cancel or an approver). */
    String rollbackBy;
    /** The user who started the build (Cause.UserIdCause), for notBy: 'starter'; null when no user started it. */
    String starter;
    /** Approvals given so far, each person once, oldest first (persisted: a partial approval survives a restart). */
    List<GateVote> votes;

    /** The gate's policy as the engine's value type (shared with the CLI). */
    io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy policy() {
        return io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy.of(submitter, required <= 0 ? 1 : required, notBy, rollbackBy);
    }

    /** The approvals so far as the engine's tally. */
    synchronized io.jenkins.plugins.ecsdeploy.engine.approval.Tally tally() {
        io.jenkins.plugins.ecsdeploy.engine.approval.Tally t = io.jenkins.plugins.ecsdeploy.engine.approval.Tally.EMPTY;
        for (GateVote v : getVotes()) {
            t = t.with(new io.jenkins.plugins.ecsdeploy.engine.approval.Approval(v.userId, java.time.Instant.ofEpochMilli(v.at),
                    v.comment), io.jenkins.plugins.ecsdeploy.engine.approval.IdMatcher.CASE_INSENSITIVE);
        }
        return t;
    }

    /** The approvals so far (never null). */
    public List<GateVote> getVotes() {
        return votes == null ? List.of() : List.copyOf(votes);
    }

    public int getRequired() { return required <= 0 ? 1 : required; }
    public String getNotBy() { return notBy; }
    public String getRollbackBy() { return rollbackBy; }
    public String getStarter() { return starter; }

    /** The policy in words for the approvals page, "" without one: the count so far, who may not approve, who may roll back. */
    public String getPolicyText() {
        StringBuilder b = new StringBuilder();
        String t = getTallyText();
        if (t != null) {
            b.append("Approvals: ").append(t).append(". ");
        }
        if (notBy != null) {
            b.append("May not approve: ").append(notBy).append(starter == null ? "" : " (the starter is " + starter + ")").append(". ");
        }
        if (rollbackBy != null) {
            b.append("May roll back: ").append(rollbackBy).append(" (and administrators).");
        }
        return b.toString().trim();
    }

    /** True when this gate has more rules than one answer by an allowed person. */
    public boolean isPolicy() { return policy().isPolicy(); }

    /** "1 of 2: alice · waiting for one more approver (release-managers)", or null for a gate without a quorum. */
    public String getTallyText() {
        return getRequired() <= 1 && getVotes().isEmpty() ? null : tally().describe(policy());
    }

    public String getHookId() { return hookId; }
    public String getStage() { return stage; }
    public String getDeploymentArn() { return deploymentArn; }
    public String getLabel() { return (cluster == null ? "default" : cluster) + "/" + service; }
    public String getSubmitter() { return submitter; }
    public String getMessage() { return message == null ? "Continue the deployment of " + getLabel() + "?" : message; }
    public String getOk() { return ok == null ? "Approve" : ok; }
    public long getDecideBy() { return decideBy; }
    /** The end of the approval window, ISO-8601 UTC (the page shows it as text). */
    public String getDecideByText() { return decideBy <= 0 ? "" : java.time.Instant.ofEpochMilli(decideBy).toString(); }
    public String getTimeoutAction() { return timeoutAction; }
    public Status getStatus() { return status; }
    public String getDecidedBy() { return decidedBy; }
    public String getDecidedAction() { return decidedAction; }
    public String getComment() { return comment; }
    public long getDecidedAt() { return decidedAt; }
    public boolean isWaiting() { return status == Status.WAITING; }
    /** The input that answers this gate (its Proceed/Abort also work in the console and at /input/), or null. */
    public String getInputId() { return inputId; }

    /** A short human text of the state, e.g. "timed out — rolled back by ECS". */
    public String getStatusText() {
        switch (status) {
            case WAITING: return "waiting for a decision";
            case APPROVED: return "approved by " + decidedBy;
            case ROLLED_BACK: return "rolled back by " + decidedBy;
            case TIMED_OUT: return "timed out — " + ("CONTINUE".equals(timeoutAction) ? "continued" : "rolled back") + " by ECS";
            case DECIDED_ELSEWHERE: return "decided outside Jenkins" + (note == null ? "" : " (" + note + ")");
            default: return note == null ? "closed" : note;
        }
    }

    DeploymentHandle handle() {
        return new DeploymentHandle(deploymentArn, region, accountId, cluster, service, null, null, List.of(stage));
    }
}
