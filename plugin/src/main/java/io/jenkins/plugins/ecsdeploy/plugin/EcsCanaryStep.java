package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/** {@code ecsCanary}: canaryPercent of production traffic, bake, then 100 %, then bake (docs/ecs-facts.md "Canary configuration"). */
public class EcsCanaryStep extends DeployStepBase {
    private static final long serialVersionUID = 1L;

    private Double canaryPercent;
    private Integer canaryBakeMinutes;
    private Integer bakeMinutes;

    @DataBoundConstructor
    public EcsCanaryStep(String cluster, String service, String region) {
        super(cluster, service, region);
    }

    public Double getCanaryPercent() { return canaryPercent; }
    @DataBoundSetter public void setCanaryPercent(Double v) { canaryPercent = v; }

    public Integer getCanaryBakeMinutes() { return canaryBakeMinutes; }
    @DataBoundSetter public void setCanaryBakeMinutes(Integer v) { canaryBakeMinutes = v; }

    public Integer getBakeMinutes() { return bakeMinutes; }
    @DataBoundSetter public void setBakeMinutes(Integer v) { bakeMinutes = v; }

    @Override
    protected Strategy strategy() {
        return new Strategy.Canary(canaryPercent, canaryBakeMinutes, bakeMinutes);
    }

    @Override
    protected void strategyProblems(List<String> problems) {
        range(problems, "canaryPercent", canaryPercent, 0.1, 100, "a percentage");
        range(problems, "canaryBakeMinutes", canaryBakeMinutes, 0, 1440, "minutes");
        range(problems, "bakeMinutes", bakeMinutes, 0, 1440, "minutes");
    }

    @Extension
    @Symbol("ecsCanary")
    public static class DescriptorImpl extends DeployStepDescriptor {
        @Override public String getFunctionName() { return "ecsCanary"; }
        @Override public String getDisplayName() { return "Deploy to Amazon ECS (canary)"; }
        @Override public String getStrategyName() { return "CANARY"; }

        public FormValidation doCheckCanaryPercent(@QueryParameter String value) { return checkRange(value, 0.1, 100, "a percentage"); }
        public FormValidation doCheckCanaryBakeMinutes(@QueryParameter String value) { return checkRange(value, 0, 1440, "minutes"); }
        public FormValidation doCheckBakeMinutes(@QueryParameter String value) { return checkRange(value, 0, 1440, "minutes"); }
    }
}
