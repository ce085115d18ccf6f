package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEvent;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverPlan;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverRun;
import io.jenkins.plugins.ecsdeploy.engine.cutover.DnsCutoverRequest;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle build step "Move a DNS record to green (Route 53 weighted steps)": the {@code ecsDnsCutover} step's own
 * options (one definition, docs/freestyle.md). Freestyle has no asynchronous steps: the build's executor thread waits
 * for the cutover's outcome, which the engine's scheduler drives; the gates between steps are decided on the build's
 * "ECS cutovers" page (Approve / Roll back, by the approvers). Aborting the build sets the weights back to blue
 * (BUILD_ABORTED). A controller restart ends a freestyle build (Jenkins does not resume it): the weights stay where they
 * are — resume with a Pipeline or {@code ecs-deploy cutover} (docs/cutovers.md "Restarts").
 */
public class EcsDnsCutoverBuilder extends Builder implements SimpleBuildStep {
    /** How long an aborted build waits for the weights to be back on blue before it gives up waiting. */
    static final long ROLLBACK_WAIT_MINUTES = 15;

    private final EcsDnsCutoverStep cutover;

    @DataBoundConstructor
    public EcsDnsCutoverBuilder(EcsDnsCutoverStep cutover) {
        this.cutover = cutover;
    }

    public EcsDnsCutoverStep getCutover() {
        return cutover;
    }

    @Override
    public boolean requiresWorkspace() {
        return false;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        cut(run, listener);
    }

    @Override
    public void perform(Run<?, ?> run, EnvVars env, TaskListener listener) throws InterruptedException, IOException {
        cut(run, listener);
    }

    void cut(Run<?, ?> run, TaskListener listener) throws InterruptedException, IOException {
        if (cutover == null) {
            throw new AbortException(EcsDnsCutoverStep.FUNCTION + ": the hosted zone and record are required");
        }
        DnsCutoverRequest r = cutover.toRequest(EcsGlobalConfiguration.defaultRegionOrNull()); // every check, no AWS call
        String label = cutover.label();
        EcsCutoverAction page = EcsCutoverAction.of(run);
        String recordId = page.newRecord(label, r.region(), cutover.submitter());
        Console.line(listener, label, "starting a DNS cutover of " + r.normalizedRecordName() + " from " + r.blue().describe()
                + " to " + r.green().describe() + " " + Console.link(run, EcsCutoverAction.URL_NAME + "/", "(live progress)"));
        for (String line : CutoverPlan.of(r).toText().split("\n")) {
            Console.line(listener, label, Console.safe(line));
        }
        EngineRegistry.Lease lease = EngineRegistry.get().acquire(run, cutover.getCredentialsId(), r.region(), cutover.getRoleArn());
        CutoverRun c;
        try {
            c = CutoverEngines.of(lease.engine()).start(r, (e, s) -> {
                page.update(recordId, s, !(e instanceof CutoverEvent.HealthChecked h && h.ok()));
                Console.line(listener, label, Console.safe(e.describe()));
            }, g -> Console.line(listener, label, "gate after step " + g.afterStep() + " (green " + g.greenPercent() + " %): Approve or "
                    + "Roll back " + Console.link(run, EcsCutoverAction.URL_NAME + "/", "on the cutover's page")
                    + (cutover.submitter() == null ? "" : " (approvers: " + Console.safe(cutover.submitter()) + ")") + "; until " + g.expiresAt()
                    + ", then " + cutover.getApprovalTimeoutAction()));
        } catch (RuntimeException e) {   // InvalidRequestException included: a foreign record, a bad target
            lease.close();
            page.failedToStart(recordId, String.valueOf(e.getMessage()));
            throw new AbortException(EcsDnsCutoverStep.FUNCTION + ": could not start the cutover of " + label + ": " + e.getMessage());
        }
        page.attach(recordId, c);
        Outcome o;
        try {
            o = c.outcome().get();
        } catch (InterruptedException e) {
            Console.line(listener, label, "build aborted; the weights go back to blue");
            c.rollback(RollbackCause.BUILD_ABORTED, "build aborted", null);
            try {
                Outcome after = c.outcome().get(ROLLBACK_WAIT_MINUTES, TimeUnit.MINUTES);
                Console.line(listener, label, Console.safe(after.plainWords()));
            } catch (ExecutionException | TimeoutException | InterruptedException again) {
                Console.line(listener, label, "stopped waiting for the rollback; the cutover's page shows its end");
            }
            throw e;
        } catch (ExecutionException e) {
            throw new AbortException(EcsDnsCutoverStep.FUNCTION + ": " + e.getCause());
        } finally {
            lease.close();
        }
        if (!o.succeeded()) {
            throw new AbortException(EcsDnsCutoverStep.FUNCTION + ": " + Console.safe(o.plainWords()));
        }
        Console.line(listener, label, Console.safe(o.plainWords()));
    }

    /** No @Symbol, for the reason EcsDeployBuilder gives: Pipeline calls {@code ecsDnsCutover}. */
    @Extension
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes") // the signature core declares
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Move a DNS record to green in weighted steps (Amazon ECS DNS cutover, Route 53)";
        }
    }
}
