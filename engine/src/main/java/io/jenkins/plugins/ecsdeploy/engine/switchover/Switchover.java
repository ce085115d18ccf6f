package io.jenkins.plugins.ecsdeploy.engine.switchover;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;

/**
 * The switchover flag of a headless service (a queue worker without a load balancer, docs/cutovers.md "Switchover
 * flag"): when the native deployment reaches {@code stage}, the engine sets the SSM parameter {@code parameter} to
 * {@code greenValue} — green's tasks start consuming, blue's stop — and continues the deployment; when the deployment
 * rolls back afterwards, it sets the parameter to {@code blueValue} again.
 *
 * <p>The engine holds the deployment at {@code stage} with a PAUSE hook of its own ({@link #gate()}: timeout
 * {@code timeoutMinutes}, action ROLLBACK — if no engine answers, ECS rolls back and nothing was flipped). Values may
 * name a side's task definition: {@code {taskDefinition}} is its {@code family:revision} ("worker:8"),
 * {@code {taskDefinitionArn}} its ARN. Both default to {@code {taskDefinition}}, so the flag names the revision that
 * should work and each task compares it with its own (the task metadata endpoint's Family and Revision); literal
 * colours ("green"/"blue") need the tasks to know their colour some other way (docs/cutovers.md).
 */
public record Switchover(String stage, String parameter, String greenValue, String blueValue, Integer timeoutMinutes) {
    /** After the production traffic shift — for a headless service ECS shifts nothing — and before the bake. */
    public static final String DEFAULT_STAGE = "POST_PRODUCTION_TRAFFIC_SHIFT";
    public static final String TASK_DEFINITION = "{taskDefinition}";
    public static final String TASK_DEFINITION_ARN = "{taskDefinitionArn}";
    public static final int DEFAULT_TIMEOUT_MINUTES = 30;
    /** Who the gate decision names in the audit and on the page. */
    public static final String DECIDED_BY = "ecs-deploy switchover";

    public Switchover {
        if (stage == null || stage.isBlank()) {
            stage = DEFAULT_STAGE;
        }
        if (greenValue == null || greenValue.isEmpty()) {
            greenValue = TASK_DEFINITION;
        }
        if (blueValue == null || blueValue.isEmpty()) {
            blueValue = TASK_DEFINITION;
        }
        if (timeoutMinutes == null) {
            timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;
        }
    }

    /** The defaults at another stage. */
    public Switchover(String stage, String parameter) {
        this(stage, parameter, null, null, null);
    }

    /** The PAUSE hook the engine places at {@code stage} and answers itself. */
    public Gate gate() {
        return new Gate(stage, timeoutMinutes, HookAction.ROLLBACK);
    }

    /** The request with the switchover's gate added (validate with {@link SwitchoverValidator} first). */
    public DeploymentRequest applyTo(DeploymentRequest r) {
        return r.toBuilder().gate(gate()).build();
    }

    /** A value with its placeholders replaced by a side's task definition; null when it needs one that is unknown. */
    public static String resolve(String template, String taskDefinitionArn) {
        if (!template.contains("{")) {
            return template;
        }
        if (taskDefinitionArn == null) {
            return null;
        }
        return template.replace(TASK_DEFINITION_ARN, taskDefinitionArn)
                .replace(TASK_DEFINITION, RevisionNames.familyRevision(taskDefinitionArn));
    }

    public String describe() {
        return "switchover at " + stage + ": " + parameter + " = " + greenValue + " (green), back to " + blueValue
                + " (blue) on rollback";
    }
}
