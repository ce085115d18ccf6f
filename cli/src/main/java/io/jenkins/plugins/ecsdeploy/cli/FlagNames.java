package io.jenkins.plugins.ecsdeploy.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Translates the engine's {@code ValidationProblem.field} names (request field paths such as
 * {@code strategy.canaryPercent} or {@code hooks[0].stages[1]}) into the CLI flag a user typed, so every
 * message names something the user can find on their own command line.
 */
final class FlagNames {
    /** Field (last path segment, or whole path) → flag. Checked most specific first. */
    private static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("region", "--region");
        KNOWN.put("cluster", "--cluster");
        KNOWN.put("service", "--service");
        KNOWN.put("revision", "--image/--task-definition/--task-definition-file");
        KNOWN.put("images", "--image");
        KNOWN.put("imagesByContainer", "--image");
        KNOWN.put("image", "--image");
        KNOWN.put("container", "--image");
        KNOWN.put("taskDefinition", "--task-definition");
        KNOWN.put("arnOrFamilyRevision", "--task-definition");
        KNOWN.put("taskDefinitionJson", "--task-definition-file");
        KNOWN.put("taskDefinitionFile", "--task-definition-file");
        KNOWN.put("json", "--task-definition-file");
        KNOWN.put("strategy", "--strategy");
        KNOWN.put("canaryPercent", "--canary-percent");
        KNOWN.put("canaryBakeMinutes", "--canary-bake-minutes");
        KNOWN.put("stepPercent", "--step-percent");
        KNOWN.put("stepBakeMinutes", "--step-bake-minutes");
        KNOWN.put("bakeMinutes", "--bake-minutes");
        KNOWN.put("minimumHealthyPercent", "--minimum-healthy-percent");
        KNOWN.put("maximumPercent", "--maximum-percent");
        KNOWN.put("alarms", "--alarm");
        KNOWN.put("alarmNames", "--alarm");
        KNOWN.put("hooks", "--hook");
        KNOWN.put("functionArn", "--hook");
        KNOWN.put("roleArn", "--hook-role-arn");
        KNOWN.put("gates", "--approve-at");
        KNOWN.put("gateTimeoutMinutes", "--gate-timeout-minutes");
        KNOWN.put("desiredCount", "--desired-count");
        KNOWN.put("deploymentArn", "ARN");
        KNOWN.put("allowedRoleAccounts", "--allow-role-account");
    }

    private FlagNames() {}

    static String flagFor(String field) {
        if (field == null || field.isBlank()) {
            return "(request)";
        }
        if (field.startsWith("--")) {
            return field;
        }
        // "hooks[0].stages", "images[web]", "taskDefinitionJson(td.json)": the index or origin is not part of the name
        String path = field.replaceAll("\\[[^\\]]*]", "").replaceAll("\\([^)]*\\)", "");
        String[] parts = path.split("\\.");
        // A problem anywhere inside a hook or gate belongs to --hook / --approve-at, whatever the sub-field
        // (a gate's timeout is --gate-timeout-minutes).
        if (parts[0].equals("hooks") || parts[0].equals("lambdaHooks")) {
            return parts.length > 1 && parts[parts.length - 1].equals("roleArn") ? "--hook-role-arn" : "--hook";
        }
        if (parts[0].equals("gates")) {
            String last = parts[parts.length - 1];
            if (last.equals("timeoutMinutes")) {
                return "--gate-timeout-minutes";
            }
            if (last.equals("timeoutAction")) {
                return "--gate-timeout-action";
            }
            return "--approve-at";
        }
        if (parts[0].equals("alarms")) {
            return "--alarm";
        }
        if (parts[0].equals("taskDefinitionJson")) {
            // keep the member inside the file: "--task-definition-file containerDefinitions[0].image"
            int dot = field.indexOf(").");
            int plain = field.indexOf('.');
            String inner = dot >= 0 ? field.substring(dot + 2) : field.startsWith("taskDefinitionJson.") && plain >= 0
                    ? field.substring(plain + 1) : "";
            return "--task-definition-file" + (inner.isEmpty() ? "" : " " + inner);
        }
        if (KNOWN.containsKey(path)) {
            return KNOWN.get(path);
        }
        String last = parts[parts.length - 1];
        if (KNOWN.containsKey(last)) {
            return KNOWN.get(last);
        }
        return "--" + last.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
