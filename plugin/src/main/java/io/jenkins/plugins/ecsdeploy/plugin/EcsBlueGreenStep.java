package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/** {@code ecsBlueGreen}: all production traffic moves to green at once, then blue and green bake side by side. */
public class EcsBlueGreenStep extends DeployStepBase {
    private static final long serialVersionUID = 1L;

    private Integer bakeMinutes;

    @DataBoundConstructor
    public EcsBlueGreenStep(String cluster, String service, String region) {
        super(cluster, service, region);
    }

    public Integer getBakeMinutes() { return bakeMinutes; }
    @DataBoundSetter public void setBakeMinutes(Integer v) { bakeMinutes = v; }

    @Override
    protected Strategy strategy() {
        return new Strategy.BlueGreen(bakeMinutes);
    }

    @Override
    protected void strategyProblems(List<String> problems) {
        range(problems, "bakeMinutes", bakeMinutes, 0, 1440, "minutes");
    }

    @Extension
    @Symbol("ecsBlueGreen")
    public static class DescriptorImpl extends DeployStepDescriptor {
        @Override public String getFunctionName() { return "ecsBlueGreen"; }
        @Override public String getDisplayName() { return "Deploy to Amazon ECS (blue/green)"; }
        @Override public String getStrategyName() { return "BLUE_GREEN"; }

        public FormValidation doCheckBakeMinutes(@QueryParameter String value) { return checkRange(value, 0, 1440, "minutes"); }
    }
}
