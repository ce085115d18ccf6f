package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The block step behind {@code ecsDnsCutover} ({@code ecsDnsCutoverRun(args) { input … }}): the same cutover as
 * {@link EcsDnsCutoverStep}, and at every gate between steps it runs its body — the {@code input} the global variable
 * {@code ecsDnsCutover} (EcsDnsCutover.groovy) puts there — so the gate is a genuine Jenkins input, answered by the
 * console's Proceed/Abort links, Stage View, Pipeline Graph View and the {@code /input/} endpoints, as {@code ecsApprove}
 * does for a native gate (docs/cutovers.md "Gates and bakes between steps", docs/approvals.md). Proceed → CONTINUE by the
 * approver; Abort → ROLLBACK by the rejecting user. Jenkinsfiles call {@code ecsDnsCutover}; the Snippet Generator shows
 * that step, whose call the global variable answers.
 */
public class EcsDnsCutoverBlockStep extends EcsDnsCutoverStep {
    private static final long serialVersionUID = 1L;
    static final String FUNCTION = "ecsDnsCutoverRun";

    @DataBoundConstructor
    public EcsDnsCutoverBlockStep(String hostedZoneId, String record) {
        super(hostedZoneId, record);
    }

    /** The symbol equals the function name (a different one would make a call do nothing, docs/pipeline-steps.md). */
    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends StepDescriptor {
        @Override public String getFunctionName() { return FUNCTION; }
        @Override public String getDisplayName() { return "DNS cutover whose gates are Jenkins inputs (the block behind ecsDnsCutover)"; }
        @Override public Set<? extends Class<?>> getRequiredContext() { return Set.of(Run.class, TaskListener.class); }
        @Override public boolean takesImplicitBlockArgument() { return true; }
        /** Listed under "Advanced/Deprecated": write {@code ecsDnsCutover}, which runs this with an input as the body. */
        @Override public boolean isAdvanced() { return true; }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            Object r = namedArgs.get("record");
            return r == null ? null : r.toString();
        }
    }
}
