package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.LambdaHook;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * One user Lambda lifecycle hook, written in a Jenkinsfile as a map:
 * {@code hooks: [[functionArn: 'arn:aws:lambda:…:function:smoke', roleArn: 'arn:aws:iam::…:role/ecs-hooks',
 * stages: ['POST_TEST_TRAFFIC_SHIFT']]]} (a map without {@code $class} binds to this concrete type;
 * docs/jenkins-behaviour.md "Type coercion" row 6). Checked by {@link #toEngine} at start, like the step.
 */
public class LambdaHookSpec implements Describable<LambdaHookSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Stages at which ECS can call a Lambda hook (docs/ecs-facts.md "Lifecycle stages and hooks", DeploymentLifecycleHookStage). */
    static final List<String> HOOK_STAGES = io.jenkins.plugins.ecsdeploy.engine.EcsStages.HOOK_STAGES;

    private final String functionArn;
    private final String roleArn;
    private String stages;
    private String hookDetails;
    private Integer timeoutMinutes;
    private String timeoutAction;

    @DataBoundConstructor
    public LambdaHookSpec(String functionArn, String roleArn) {
        this.functionArn = Values.trimToNull(functionArn);
        this.roleArn = Values.trimToNull(roleArn);
    }

    public String getFunctionArn() { return functionArn; }
    public String getRoleArn() { return roleArn; }

    public String getStages() { return stages; }
    @DataBoundSetter public void setStages(Object v) { stages = Values.joined(v); }

    /** A JSON object ECS passes to the function on each call. */
    public String getHookDetails() { return hookDetails; }
    @DataBoundSetter public void setHookDetails(String v) { hookDetails = Values.trimToNull(v); }

    public Integer getTimeoutMinutes() { return timeoutMinutes; }
    @DataBoundSetter public void setTimeoutMinutes(Integer v) { timeoutMinutes = v; }

    public String getTimeoutAction() { return timeoutAction; }
    @DataBoundSetter public void setTimeoutAction(String v) { timeoutAction = Values.upper(Values.trimToNull(v)); }

    /** Converts to the engine type, adding one problem line per bad field to {@code problems}. */
    LambdaHook toEngine(String prefix, List<String> problems) {
        if (functionArn == null || !functionArn.startsWith("arn:")) {
            problems.add(Values.problem(prefix + ".functionArn", functionArn, "a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)"));
        }
        if (roleArn == null || !roleArn.startsWith("arn:")) {
            problems.add(Values.problem(prefix + ".roleArn", roleArn, "the IAM role ARN ECS uses to invoke the function"));
        }
        List<String> st = new ArrayList<>();
        for (String s : Values.list(stages)) {
            String u = Values.upper(s);
            if (!HOOK_STAGES.contains(u)) {
                problems.add(Values.problem(prefix + ".stages", s, "one or more of " + String.join(", ", HOOK_STAGES)));
            }
            st.add(u);
        }
        if (st.isEmpty()) {
            problems.add(Values.problem(prefix + ".stages", null, "at least one of " + String.join(", ", HOOK_STAGES)));
        }
        if (timeoutMinutes != null && (timeoutMinutes < 1 || timeoutMinutes > 1440)) {
            problems.add(Values.problem(prefix + ".timeoutMinutes", timeoutMinutes, "minutes between 1 and 1440 for a Lambda hook"));
        }
        HookAction action = null;
        if (timeoutAction != null) {
            if (timeoutAction.equals("ROLLBACK") || timeoutAction.equals("CONTINUE")) {
                action = HookAction.valueOf(timeoutAction);
            } else {
                problems.add(Values.problem(prefix + ".timeoutAction", timeoutAction, "ROLLBACK or CONTINUE"));
            }
        }
        return new LambdaHook(functionArn, roleArn, st, hookDetails, timeoutMinutes, action);
    }

    @Extension
    @Symbol("lambdaHook")
    public static class DescriptorImpl extends Descriptor<LambdaHookSpec> {
        @Override
        public String getDisplayName() {
            return "Lambda lifecycle hook";
        }
    }
}
