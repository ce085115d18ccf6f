package io.jenkins.plugins.ecsdeploy.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small conversions shared by the steps and the builder. Pipeline hands us whatever the script wrote
 * (a String, a List, a Map, a Boolean); these helpers normalise it without any Jenkins type.
 */
final class Values {
    private Values() {}

    /** The ECS lifecycle stages a PAUSE hook may wait at: the engine's list (EcsStages, one vocabulary for all modules). */
    static final List<String> PAUSE_STAGES = io.jenkins.plugins.ecsdeploy.engine.EcsStages.PAUSE_STAGES;

    /** Every lifecycle stage ECS reports, in order, plus COMPLETED: the engine's wait targets (EcsStages.WAIT_TARGETS). */
    static final List<String> WAIT_STAGES = io.jenkins.plugins.ecsdeploy.engine.EcsStages.WAIT_TARGETS;

    static final String COMPLETED = "COMPLETED";

    static String trimToNull(Object o) {
        if (o == null) {
            return null;
        }
        String s = o.toString().trim();
        return s.isEmpty() ? null : s;
    }

    static String upper(String s) {
        return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
    }

    /**
     * A list given as a Groovy list, or as one String with entries separated by commas or new lines.
     * Blank entries are dropped.
     */
    static List<String> list(Object o) {
        List<String> out = new ArrayList<>();
        if (o == null) {
            return out;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.add(e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()));
            }
            return out;
        }
        if (o instanceof Collection<?> c) {
            for (Object x : c) {
                String s = trimToNull(x);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }
        if (o instanceof Object[] a) {
            return list(List.of(a));
        }
        for (String part : o.toString().split("[,\\n]")) {
            String s = part.trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The normalised text form of {@link #list}: entries joined with ", " (what getters return). */
    static String joined(Object o) {
        List<String> l = list(o);
        return l.isEmpty() ? null : String.join(", ", l);
    }

    /** A problem line in the engine's wording (ValidationProblem.message): field, value, what is allowed. */
    static String problem(String field, Object value, String allowed) {
        // one wording for every refusal: the engine's (field, value given, what is allowed)
        return new io.jenkins.plugins.ecsdeploy.engine.ValidationProblem(field, value == null ? null : String.valueOf(value), allowed)
                .message();
    }
}
