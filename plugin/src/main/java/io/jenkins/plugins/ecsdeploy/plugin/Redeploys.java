package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import jenkins.model.ParameterizedJobMixIn;

/**
 * "Redeploy this revision" on a finished deployment's page (docs/approvals.md "Redeploy this revision"), the
 * Jenkins side of {@code ecs-deploy redeploy}: the click queues a new build of the same job carrying an
 * {@link EcsRedeployAction}; in that build the deploy step for the same service deploys the recorded task definition
 * instead of what its script names. So the undo runs through the same engine and the same Pipeline — its gates,
 * approvers, checks and notifications — and is recorded like any build (started by the user who clicked).
 */
final class Redeploys {
    private Redeploys() {
    }

    /**
     * The click: who may (Job/Build, as for starting the job), what (a deployment of this build that SUCCEEDED: its
     * new revision went live; the revision of a rolled-back one never did), and the queued build.
     */
    static EcsApprovalAction.Reply request(Run<?, ?> run, EcsProgressAction.DeploymentRecord r, DeploymentSnapshot s,
                                          String userId) {
        Job<?, ?> job = run.getParent();
        if (!job.hasPermission(Item.BUILD)) {
            return new EcsApprovalAction.Reply(403, "You (" + SafeText.line(userId, 100) + ") need the Job/Build "
                    + "permission on this job to redeploy a revision.");
        }
        if (r.outcome == null && (s == null || !s.finished())) {
            return new EcsApprovalAction.Reply(409, "The deployment of " + r.label + " has not finished yet; redeploy a "
                    + "revision once its deployment has ended.");
        }
        if (s == null || s.outcome() == null || !s.outcome().succeeded()) {
            return new EcsApprovalAction.Reply(409, "The deployment of " + r.label + " did not succeed ("
                    + (s != null && s.outcome() != null ? s.outcome().describe() : r.outcome) + "): its revision never "
                    + "served production. Redeploy the revision of a deployment that succeeded.");
        }
        String taskDefinition = s.green() == null ? null : s.green().taskDefinition();
        if (taskDefinition == null || s.service() == null) {
            return new EcsApprovalAction.Reply(409, "The task definition of the deployment of " + r.label + " is not "
                    + "known, so it cannot be deployed again.");
        }
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> schedulable)) {
            return new EcsApprovalAction.Reply(409, "This job cannot be started from here; run it with "
                    + "taskDefinition: '" + RevisionNames.familyRevision(taskDefinition) + "' instead.");
        }
        String from = "#" + run.getNumber();
        EcsRedeployAction what = new EcsRedeployAction(s.region() != null ? s.region() : r.region, s.cluster(), s.service(),
                taskDefinition, userId, from, r.deploymentArn);
        Object queued = schedulable.scheduleBuild2(0, new Action[] {new CauseAction(new Cause.UserIdCause(userId)), what});
        if (queued == null) {
            return new EcsApprovalAction.Reply(409, "Jenkins did not queue a build of this job (is it disabled?).");
        }
        return new EcsApprovalAction.Reply(200, "Redeploying " + RevisionNames.familyRevision(taskDefinition) + " to "
                + r.label + ": a new build of this job is queued; its deployment of " + r.label + " uses this revision "
                + "and goes through the same gates.");
    }

    /**
     * In the queued build: the step's request with the recorded task definition, when the build carries a redeploy
     * request for the same region, cluster and service (one line in the log says so); otherwise the request as is.
     */
    static DeploymentRequest apply(Run<?, ?> run, DeploymentRequest request, TaskListener listener, String label) {
        EcsRedeployAction a = run == null ? null : run.getAction(EcsRedeployAction.class);
        if (a == null || !same(a.getRegion(), request.region()) || !same(nameOf(a.getCluster()), nameOf(request.clusterOrDefault()))
                || !same(nameOf(a.getService()), nameOf(request.service()))) {
            return request;
        }
        Console.line(listener, label, "redeploying " + RevisionNames.familyRevision(a.getTaskDefinition()) + " ("
                + a.getTaskDefinition() + ") instead of what this step names, as " + SafeText.line(a.getRequestedBy(), 100)
                + " asked from build " + a.getFromBuild());
        return request.toBuilder().revision(new RevisionSource.TaskDefinition(a.getTaskDefinition())).build();
    }

    private static boolean same(String a, String b) {
        return a != null && a.equals(b);
    }

    /** A cluster or service given by name or by ARN: its name. */
    private static String nameOf(String nameOrArn) {
        if (nameOrArn == null) {
            return null;
        }
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }
}
