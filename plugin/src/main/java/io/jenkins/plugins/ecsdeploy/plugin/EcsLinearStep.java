package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/** {@code ecsLinear}: production traffic moves in equal steps of stepPercent, baking between steps (docs/ecs-facts.md "Linear configuration"). */
public class EcsLinearStep extends DeployStepBase {
    private static final long serialVersionUID = 1L;

    private Double stepPercent;
    private Integer stepBakeMinutes;
    private Integer bakeMinutes;

    @DataBoundConstructor
    public EcsLinearStep(String cluster, String service, String region) {
        super(cluster, service, region);
    }

    public Double getStepPercent() { return stepPercent; }
    @DataBoundSetter public void setStepPercent(Double v) { stepPercent = v; }

    public Integer getStepBakeMinutes() { return stepBakeMinutes; }
    @DataBoundSetter public void setStepBakeMinutes(Integer v) { stepBakeMinutes = v; }

    public Integer getBakeMinutes() { return bakeMinutes; }
    @DataBoundSetter public void setBakeMinutes(Integer v) { bakeMinutes = v; }

    @Override
    protected Strategy strategy() {
        return new Strategy.Linear(stepPercent, stepBakeMinutes, bakeMinutes);
    }

    @Override
    protected void strategyProblems(List<String> problems) {
        range(problems, "stepPercent", stepPercent, 3, 100, "a percentage");
        range(problems, "stepBakeMinutes", stepBakeMinutes, 0, 1440, "minutes");
        range(problems, "bakeMinutes", bakeMinutes, 0, 1440, "minutes");
    }

    @Extension
    @Symbol("ecsLinear")
    public static class DescriptorImpl extends DeployStepDescriptor {
        @Override public String getFunctionName() { return "ecsLinear"; }
        @Override public String getDisplayName() { return "Deploy to Amazon ECS (linear)"; }
        @Override public String getStrategyName() { return "LINEAR"; }

        public FormValidation doCheckStepPercent(@QueryParameter String value) { return checkRange(value, 3, 100, "a percentage"); }
        public FormValidation doCheckStepBakeMinutes(@QueryParameter String value) { return checkRange(value, 0, 1440, "minutes"); }
        public FormValidation doCheckBakeMinutes(@QueryParameter String value) { return checkRange(value, 0, 1440, "minutes"); }
    }
}
