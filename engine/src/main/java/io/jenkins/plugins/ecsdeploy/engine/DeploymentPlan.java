package io.jenkins.plugins.ecsdeploy.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request will do: the lifecycle stages in order, the production traffic steps, the gates, the hooks per
 * stage, the minimum duration and the capacity during the deployment. Printable as text and as JSON.
 */
public record DeploymentPlan(String strategy, List<String> stages, List<PlanStep> steps, List<String> gates,
                             Map<String, List<String>> hooksByStage, int minimumDurationMinutes, String capacity) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Version of {@link #toJson()}'s shape; members are only added within a version. */
    public static final int SCHEMA_VERSION = 1;

    public DeploymentPlan {
        stages = List.copyOf(stages);
        steps = List.copyOf(steps);
        gates = List.copyOf(gates);
        Map<String, List<String>> m = new LinkedHashMap<>();
        hooksByStage.forEach((k, v) -> m.put(k, List.copyOf(v)));
        hooksByStage = java.util.Collections.unmodifiableMap(m);
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("Strategy: ").append(strategy).append('\n');
        s.append("Stages:\n");
        for (String st : stages) {
            s.append("  ").append(st);
            List<String> h = hooksByStage.get(st);
            if (h != null && !h.isEmpty()) {
                s.append("  <- ").append(String.join("; ", h));
            }
            s.append('\n');
        }
        if (!steps.isEmpty()) {
            s.append("Production traffic to the new revision:\n");
            for (PlanStep p : steps) {
                s.append("  step ").append(p.index()).append(": ").append(pct(p.productionTrafficPercent())).append('%');
                if (!p.gateStages().isEmpty()) {
                    s.append(" (gate before: ").append(String.join(", ", p.gateStages())).append(')');
                }
                if (p.bakeAfterMinutes() != null) {
                    s.append(", then bake ").append(p.bakeAfterMinutes()).append(" min");
                }
                s.append('\n');
            }
        }
        s.append("Gates: ").append(gates.isEmpty() ? "none" : String.join(", ", gates)).append('\n');
        s.append("Minimum duration: ").append(minimumDurationMinutes).append(" min")
                .append(" (bakes and load-balancer delays; gates, hooks and task start-up add to it)\n");
        s.append("Capacity: ").append(capacity == null ? "unknown" : capacity).append('\n');
        return s.toString();
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        // versioned like the snapshot (docs/snapshot-schema.md rules: members are only added within a version)
        n.put("schemaVersion", SCHEMA_VERSION);
        n.put("strategy", strategy);
        ArrayNode st = n.putArray("stages");
        stages.forEach(st::add);
        ArrayNode sp = n.putArray("steps");
        for (PlanStep p : steps) {
            ObjectNode o = sp.addObject();
            o.put("index", p.index());
            o.put("productionTrafficPercent", p.productionTrafficPercent());
            o.put("bakeAfterMinutes", p.bakeAfterMinutes()); // null → JSON null
            ArrayNode g = o.putArray("gateStages");
            p.gateStages().forEach(g::add);
        }
        ArrayNode g = n.putArray("gates");
        gates.forEach(g::add);
        ObjectNode h = n.putObject("hooksByStage");
        hooksByStage.forEach((k, v) -> {
            ArrayNode a = h.putArray(k);
            v.forEach(a::add);
        });
        n.put("minimumDurationMinutes", minimumDurationMinutes);
        n.put("capacity", capacity);
        return n.toString();
    }

    static String pct(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(Math.round(d * 10) / 10.0);
    }
}
