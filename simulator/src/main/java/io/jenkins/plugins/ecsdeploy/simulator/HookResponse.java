package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Lambda hook's answer (Lambda-hook page): {@code hookStatus} SUCCEEDED / FAILED / IN_PROGRESS (kept as a raw
 * string so a test can send an invalid one, which rolls back), {@code callBackDelay} seconds before the next
 * invocation after IN_PROGRESS (default 30), {@code hookDetails} state passed back on the next invocation.
 */
public record HookResponse(String hookStatus, Integer callBackDelay, JsonNode hookDetails) {
    public static HookResponse succeeded() {
        return new HookResponse("SUCCEEDED", null, null);
    }

    public static HookResponse failed() {
        return new HookResponse("FAILED", null, null);
    }

    public static HookResponse inProgress(int callBackDelaySeconds, JsonNode hookDetails) {
        return new HookResponse("IN_PROGRESS", callBackDelaySeconds, hookDetails);
    }

    /** Reads the JSON a function returned ({@code {"hookStatus":..,"callBackDelay":..,"hookDetails":{..}}}). */
    public static HookResponse fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            return new HookResponse(null, null, null);
        }
        JsonNode s = n.get("hookStatus");
        JsonNode c = n.get("callBackDelay");
        return new HookResponse(s != null && s.isTextual() ? s.asText() : null,
                c != null && c.canConvertToInt() ? c.asInt() : null, n.get("hookDetails"));
    }
}
