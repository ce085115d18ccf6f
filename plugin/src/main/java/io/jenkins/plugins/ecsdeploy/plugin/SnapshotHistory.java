package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a deployment's record whole across a controller restart. After a restart the engine follows the deployment
 * again by ARN and folds a NEW snapshot from what ECS reports now: gates decided before, hooks ECS no longer lists,
 * earlier events and stages seen by polls are not in it (ECS drops decided hooks, docs/engine.md "Hooks that
 * disappear"). The record must not forget them (a found defect: approvedBy null, {@code "gates":[]}, half the events
 * and earlier stages "observed: false" after any restart). So the page's JSON is the new snapshot with, from the one
 * saved before the restart (docs/snapshot-schema.md members):
 * <ul>
 *   <li>{@code gates}, {@code hooks}: every entry of the old one whose {@code hookId} the new one lacks, and for a
 *       hook both have, the old decision ({@code decidedBy}, {@code comment}, {@code decidedAt}) when the new one has
 *       none;</li>
 *   <li>{@code stages}: an old stage that was observed stays observed (the new one may only infer it), and stages
 *       the new one lacks are kept, before the new ones;</li>
 *   <li>{@code analyses}: the old canary analyses the new one lacks (by {@code hookId}), before the new ones;</li>
 *   <li>{@code events}: the old ones first, then the new ones not already there; {@code eventCount} adds up.</li>
 * </ul>
 * Everything else (status, stage, sides, outcome) is the new snapshot's: ECS's present state wins.
 */
final class SnapshotHistory {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When trimming, the first events (observed, revisions: what the deployment is) are always kept. */
    static final int KEEP_FIRST = 5;

    private SnapshotHistory() {}

    static String merge(String oldJson, String newJson) {
        try {
            ObjectNode old = (ObjectNode) JSON.readTree(oldJson);
            ObjectNode now = (ObjectNode) JSON.readTree(newJson);
            now.set("gates", mergeById(old.path("gates"), now.path("gates")));
            now.set("hooks", mergeById(old.path("hooks"), now.path("hooks")));
            // the canary analyses measured before the restart (docs/analysis.md): a gate analysed anew replaces its own
            now.set("analyses", mergeById(old.path("analyses"), now.path("analyses")));
            now.set("stages", mergeStages(old.path("stages"), now.path("stages")));
            ArrayNode events = JSON.createArrayNode();
            Set<String> seen = new HashSet<>();
            for (JsonNode e : old.path("events")) {
                if (seen.add(e.path("type").asText() + "\u0000" + e.path("text").asText())) {
                    events.add(e);
                }
            }
            int added = 0;
            for (JsonNode e : now.path("events")) {
                if (seen.add(e.path("type").asText() + "\u0000" + e.path("text").asText())) {
                    events.add(e);
                    added++;
                }
            }
            now.set("events", events);
            now.put("eventCount", old.path("eventCount").asInt(0) + added);
            return JSON.writeValueAsString(now);
        } catch (Exception e) {
            return newJson;   // an unreadable old picture must never break the live one
        }
    }

    private static ArrayNode mergeById(JsonNode old, JsonNode now) {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (JsonNode o : old) {
            if (o instanceof ObjectNode on) {
                byId.put(on.path("hookId").asText(), on.deepCopy());
            }
        }
        for (JsonNode n : now) {
            if (!(n instanceof ObjectNode nn)) {
                continue;
            }
            String id = nn.path("hookId").asText();
            ObjectNode o = byId.get(id);
            ObjectNode merged = nn.deepCopy();
            if (o != null) {
                for (String f : new String[] {"decidedBy", "comment", "decidedAt"}) {
                    if ((merged.path(f).isNull() || merged.path(f).isMissingNode()) && !o.path(f).isNull() && !o.path(f).isMissingNode()) {
                        merged.set(f, o.get(f));
                    }
                }
                if ("AWAITING_ACTION".equals(merged.path("state").asText()) && o.has("state")
                        && !"AWAITING_ACTION".equals(o.path("state").asText())) {
                    merged.set("state", o.get("state"));   // decided before the restart: the decision stands
                }
            }
            byId.put(id, merged);
        }
        ArrayNode a = JSON.createArrayNode();
        byId.values().forEach(a::add);
        return a;
    }

    private static ArrayNode mergeStages(JsonNode old, JsonNode now) {
        ArrayNode a = JSON.createArrayNode();
        Map<String, JsonNode> oldByName = new LinkedHashMap<>();
        for (JsonNode o : old) {
            oldByName.putIfAbsent(o.path("name").asText(), o);
        }
        Set<String> inNew = new HashSet<>();
        for (JsonNode n : now) {
            inNew.add(n.path("name").asText());
        }
        for (JsonNode o : old) {
            if (!inNew.contains(o.path("name").asText())) {
                a.add(o);
            }
        }
        for (JsonNode n : now) {
            JsonNode o = oldByName.get(n.path("name").asText());
            if (o != null && !n.path("observed").asBoolean(true) && o.path("observed").asBoolean(true)) {
                ObjectNode m = ((ObjectNode) n).deepCopy();
                m.put("observed", true);
                m.set("enteredAt", o.get("enteredAt"));
                a.add(m);
            } else {
                a.add(n);
            }
        }
        return a;
    }

    /** The JSON with only the first {@link #KEEP_FIRST} and the latest events, {@code max} in all. */
    static String trimEvents(String json, int max) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(json);
            JsonNode events = o.path("events");
            if (!events.isArray() || events.size() <= max) {
                return json;
            }
            ArrayNode a = JSON.createArrayNode();
            for (int i = 0; i < KEEP_FIRST; i++) {
                a.add(events.get(i));
            }
            for (int i = events.size() - (max - KEEP_FIRST); i < events.size(); i++) {
                a.add(events.get(i));
            }
            o.set("events", a);
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            return json;
        }
    }

    /** The console form ({@link Console#safe}) of every event text in the JSON. */
    static Set<String> eventTexts(String json) {
        Set<String> out = new HashSet<>();
        try {
            for (JsonNode e : JSON.readTree(json).path("events")) {
                out.add(SafeText.line(e.path("text").asText()));
            }
        } catch (Exception ignored) {
            // nothing known: everything is printed
        }
        return out;
    }
}
