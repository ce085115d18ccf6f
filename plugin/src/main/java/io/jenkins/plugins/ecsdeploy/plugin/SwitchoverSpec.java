package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The switchover flag of a headless service, a parameter of the strategy steps (docs/cutovers.md "2. Switchover flag"):
 * {@code switchover: [parameter: '/app/worker/active-revision', stage: 'POST_PRODUCTION_TRAFFIC_SHIFT']} — a map
 * without {@code $class} binds to this concrete type, like {@code hooks}. At {@code stage} the engine sets the SSM
 * parameter to green's value and continues the deployment; on a rollback it sets blue's value back. Only Strings and a
 * number: it is kept with the step and with the deployment's reference across a restart.
 */
public class SwitchoverSpec implements Describable<SwitchoverSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String parameter;
    private String stage;
    private String green;
    private String blue;
    private Integer timeoutMinutes;

    @DataBoundConstructor
    public SwitchoverSpec(String parameter) {
        this.parameter = Values.trimToNull(parameter);
    }

    public String getParameter() { return parameter; }

    /** Null = {@value Switchover#DEFAULT_STAGE}. */
    public String getStage() { return stage; }
    @DataBoundSetter public void setStage(String v) { stage = Values.upper(Values.trimToNull(v)); }

    /** Green's value; null = {@value Switchover#TASK_DEFINITION} (green's family:revision). */
    public String getGreen() { return green; }
    @DataBoundSetter public void setGreen(String v) { green = Values.trimToNull(v); }

    /** Blue's value, written back on rollback; null = {@value Switchover#TASK_DEFINITION}. */
    public String getBlue() { return blue; }
    @DataBoundSetter public void setBlue(String v) { blue = Values.trimToNull(v); }

    /** Minutes ECS holds the deployment at the stage for the engine (null = 30); without an answer ECS rolls back. */
    public Integer getTimeoutMinutes() { return timeoutMinutes; }
    @DataBoundSetter public void setTimeoutMinutes(Integer v) { timeoutMinutes = v; }

    /** The engine's value; every check is the engine's SwitchoverValidator, called by the step's toRequest. */
    Switchover toEngine() {
        return new Switchover(stage, parameter, green, blue, timeoutMinutes);
    }

    @Extension
    public static class DescriptorImpl extends Descriptor<SwitchoverSpec> {
        @Override
        public String getDisplayName() {
            return "Switchover flag (headless service)";
        }
    }
}
