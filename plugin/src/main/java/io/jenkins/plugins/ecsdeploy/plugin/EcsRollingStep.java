package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/** {@code ecsRolling}: the classic rolling update, with an optional circuit breaker that rolls back. */
public class EcsRollingStep extends DeployStepBase {
    private static final long serialVersionUID = 1L;

    private Integer minimumHealthyPercent;
    private Integer maximumPercent;
    private Boolean circuitBreaker;

    @DataBoundConstructor
    public EcsRollingStep(String cluster, String service, String region) {
        super(cluster, service, region);
    }

    public Integer getMinimumHealthyPercent() { return minimumHealthyPercent; }
    @DataBoundSetter public void setMinimumHealthyPercent(Integer v) { minimumHealthyPercent = v; }

    public Integer getMaximumPercent() { return maximumPercent; }
    @DataBoundSetter public void setMaximumPercent(Integer v) { maximumPercent = v; }

    /** true: enable the deployment circuit breaker with rollback; false: disable it; unset: keep the service's. */
    public Boolean getCircuitBreaker() { return circuitBreaker; }
    @DataBoundSetter public void setCircuitBreaker(Boolean v) { circuitBreaker = v; }

    @Override
    protected Strategy strategy() {
        return new Strategy.Rolling(minimumHealthyPercent, maximumPercent, circuitBreaker, circuitBreaker);
    }

    @Override
    protected void strategyProblems(List<String> problems) {
        range(problems, "minimumHealthyPercent", minimumHealthyPercent, 0, 100, "a percentage");
        range(problems, "maximumPercent", maximumPercent, 100, 1000, "a percentage");
        if (minimumHealthyPercent != null && maximumPercent != null && maximumPercent <= minimumHealthyPercent) {
            problems.add(Values.problem("maximumPercent", maximumPercent,
                    "more than minimumHealthyPercent (" + minimumHealthyPercent + "), or ECS cannot replace any task"));
        }
    }

    @Extension
    @Symbol("ecsRolling")
    public static class DescriptorImpl extends DeployStepDescriptor {
        @Override public String getFunctionName() { return "ecsRolling"; }
        @Override public String getDisplayName() { return "Deploy to Amazon ECS (rolling update)"; }
        @Override public String getStrategyName() { return "ROLLING"; }

        public FormValidation doCheckMinimumHealthyPercent(@QueryParameter String value) { return checkRange(value, 0, 100, "a percentage"); }
        public FormValidation doCheckMaximumPercent(@QueryParameter String value) { return checkRange(value, 100, 1000, "a percentage"); }
    }
}
