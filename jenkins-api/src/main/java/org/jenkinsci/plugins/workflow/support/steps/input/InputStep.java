package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Stand-in of pipeline-input-step's {@code input} step, with the behaviour we depend on
 * (jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/InputStep.java):
 * a null message becomes the default question (:89-95); {@code id} defaults to the message's digest and an id starting
 * with a-z gets its first letter upper-cased (:98-139) — ids that are not URL-safe are refused (:100-102, 327-361);
 * {@code submitter}, {@code submitterParameter}, {@code ok}, {@code cancel} are trimmed and empty means unset
 * (:118-163); the buttons default to "Proceed" and "Abort". Parameters are not modelled: only inputs without parameters
 * exist here (ours have none).
 */
public class InputStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String message;
    private String id;
    private String submitter;
    private String submitterParameter;
    private String cancel;
    private String ok;

    @DataBoundConstructor
    public InputStep(String message) {
        this.message = message == null ? "Pipeline has paused and needs your input before proceeding" : message;
    }

    @DataBoundSetter
    public void setId(String id) {
        String v = capitalize(Util.fixEmpty(id));
        if (v != null && !urlSafe(v)) {
            throw new IllegalArgumentException("InputStep id is required to be URL safe, but the provided id " + v + " is not safe");
        }
        this.id = v;
    }

    public String getId() {
        if (id == null) {
            id = capitalize(Util.getDigestOf(message));
        }
        return id;
    }

    public String getSubmitter() { return submitter; }
    @DataBoundSetter public void setSubmitter(String submitter) { this.submitter = Util.fixEmptyAndTrim(submitter); }

    public String getSubmitterParameter() { return submitterParameter; }
    @DataBoundSetter public void setSubmitterParameter(String p) { this.submitterParameter = Util.fixEmptyAndTrim(p); }

    public String getCancel() { return cancel != null ? cancel : "Abort"; }
    @DataBoundSetter public void setCancel(String cancel) { this.cancel = Util.fixEmptyAndTrim(cancel); }

    public String getOk() { return ok != null ? ok : "Proceed"; }
    @DataBoundSetter public void setOk(String ok) { this.ok = Util.fixEmptyAndTrim(ok); }

    public String getMessage() { return message; }

    /** No parameters in the stand-in (InputStep.java:166-172 holds ParameterDefinitions). */
    public List<?> getParameters() { return Collections.emptyList(); }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new InputStepExecution(this, context);
    }

    private static String capitalize(String id) {
        if (id == null) {
            return null;
        }
        if (id.isEmpty()) {
            throw new IllegalArgumentException();
        }
        char ch = id.charAt(0);
        return ch >= 'a' && ch <= 'z' ? (char) (ch - 'a' + 'A') + id.substring(1) : id;
    }

    /** The characters InputStep.DescriptorImpl.doCheckId allows; "." and ".." refused (:347-360). */
    static boolean urlSafe(String id) {
        return !id.equals(".") && !id.equals("..") && id.matches("^[a-zA-Z0-9\\-._~!$()*+,:@=]+$");
    }

    public static class DescriptorImpl extends StepDescriptor {
        public DescriptorImpl() {
        }

        @Override
        public String getFunctionName() {
            return "input";
        }

        @Override
        public String getDisplayName() {
            return "Wait for interactive input";
        }

        /** Run, TaskListener and FlowNode (InputStep.java:246-250). */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FlowNode.class);
        }

        public FormValidation doCheckId(String id) {
            if (id == null || id.isEmpty() || urlSafe(id)) {
                return FormValidation.ok();
            }
            return FormValidation.error("The ID is required to be URL safe and is limited to the characters a-z A-Z, the digits 0-9 and additionally the characters ':' '@' '=' '+' '$' ',' '-' '_' '.' '!' '~' '*' '(' ')'.");
        }
    }
}
