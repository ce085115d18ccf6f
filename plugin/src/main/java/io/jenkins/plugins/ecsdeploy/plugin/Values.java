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

    /**
     * Removes surrounding spaces, tabs and line breaks only. {@link String#trim()} would also remove every other
     * control character at either end (all of U+0000-U+001F): an image ending in BEL or ESC would then be silently
     * "repaired" instead of refused with the value shown (docs/security.md, untrusted strings).
     */
    static String trimToNull(Object o) {
        if (o == null) {
            return null;
        }
        String s = blankTrim(o.toString());
        return s.isEmpty() ? null : s;
    }

    static String blankTrim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isBlankChar(s.charAt(from))) {
            from++;
        }
        while (to > from && isBlankChar(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isBlankChar(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** True when a list given as a Groovy list holds an empty or null entry (e.g. {@code alarms: [env.UNSET]}). */
    static boolean hasBlankEntry(Object o) {
        if (o instanceof Collection<?> c) {
            return c.stream().anyMatch(x -> trimToNull(x) == null);
        }
        if (o instanceof Object[] a) {
            return hasBlankEntry(List.of(a));
        }
        return false;
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
            String s = blankTrim(part);
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
