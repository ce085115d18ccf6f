package io.jenkins.plugins.ecsdeploy.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What one EventBridge event from the events queue says: which deployment (or which service) to look at now. A hint,
 * never a fact: the watcher still reads the state from DescribeServiceDeployments (docs/events.md "Events are hints").
 * Parsed from the two ECS event types (ECS developer guide: "Amazon ECS service deployment state change events" and
 * "Pause hooks for Amazon ECS service deployments"):
 * <ul>
 *   <li>{@code ECS Hook State Change}: {@code detail.serviceDeploymentArn} (also in {@code resources}), {@code hookId},
 *       {@code eventName} HOOK_AWAITING_ACTION | HOOK_IN_PROGRESS | HOOK_SUCCEEDED | HOOK_FAILED | HOOK_TIMED_OUT;</li>
 *   <li>{@code ECS Deployment State Change}: names the SERVICE in {@code resources} (its {@code deploymentId} is the
 *       legacy {@code ecs-svc/…} id, not a service-deployment ARN), {@code eventName} SERVICE_DEPLOYMENT_IN_PROGRESS |
 *       _COMPLETED | _FAILED.</li>
 * </ul>
 * Anything else (another source or detail type, no ARN, not JSON) is foreign: {@link #parse} returns null.
 *
 * @param deploymentArn the service deployment named, or null for a deployment state change
 * @param serviceArn    the service named (always set: derived from the deployment ARN for hook events)
 * @param hookId        the hook of a hook event, else null
 * @param eventName     ECS's event name, e.g. HOOK_AWAITING_ACTION
 */
public record EventHint(String deploymentArn, String serviceArn, String hookId, String eventName) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HOOK_EVENT = "ECS Hook State Change";
    static final String DEPLOYMENT_EVENT = "ECS Deployment State Change";
    private static final Pattern DEPLOYMENT_ARN =
            Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:service-deployment/[^/\\s]+/[^/\\s]+/[^/\\s]+");
    private static final Pattern SERVICE_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:service/[^/\\s]+/[^/\\s]+");

    /** True for a hook now waiting for ContinueServiceDeployment (a gate to offer). */
    public boolean awaitsAction() {
        return "HOOK_AWAITING_ACTION".equals(eventName);
    }

    /** The hint in one SQS message body, or null when the message is not one of ours (or not JSON). */
    public static EventHint parse(String body) {
        JsonNode e;
        try {
            e = body == null ? null : JSON.readTree(body);
        } catch (IOException ex) {
            return null;
        }
        if (e == null || !e.isObject() || !"aws.ecs".equals(e.path("source").asText())) {
            return null;
        }
        String type = e.path("detail-type").asText();
        JsonNode detail = e.path("detail");
        String name = detail.path("eventName").asText(null);
        if (HOOK_EVENT.equals(type)) {
            String arn = detail.path("serviceDeploymentArn").asText(null);
            if (arn == null || !DEPLOYMENT_ARN.matcher(arn).matches()) {
                arn = firstResource(e, DEPLOYMENT_ARN);
            }
            return arn == null ? null : new EventHint(arn, serviceOf(arn), detail.path("hookId").asText(null), name);
        }
        if (DEPLOYMENT_EVENT.equals(type)) {
            String service = firstResource(e, SERVICE_ARN);
            return service == null ? null : new EventHint(null, service, null, name);
        }
        return null;
    }

    private static String firstResource(JsonNode e, Pattern p) {
        for (JsonNode r : e.path("resources")) {
            if (p.matcher(r.asText()).matches()) {
                return r.asText();
            }
        }
        return null;
    }

    /**
     * The service ARN of a service-deployment ARN: {@code arn:aws:ecs:R:A:service-deployment/C/S/ID} →
     * {@code arn:aws:ecs:R:A:service/C/S} (the ARN forms of the ECS API reference).
     */
    public static String serviceOf(String deploymentArn) {
        int i = deploymentArn.indexOf(":service-deployment/");
        if (i < 0) {
            return null;
        }
        String rest = deploymentArn.substring(i + ":service-deployment/".length());
        int last = rest.lastIndexOf('/');
        return last < 0 ? null : deploymentArn.substring(0, i) + ":service/" + rest.substring(0, last);
    }
}
