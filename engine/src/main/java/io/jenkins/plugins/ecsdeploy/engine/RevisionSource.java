package io.jenkins.plugins.ecsdeploy.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the new revision comes from. */
public sealed interface RevisionSource permits RevisionSource.TaskDefinition, RevisionSource.ImageOverrides,
        RevisionSource.TaskDefinitionJson {

    /** An existing task definition: full ARN or {@code family:revision}. */
    record TaskDefinition(String arnOrFamilyRevision) implements RevisionSource {}

    /**
     * New images for named containers of the service's current task definition; the engine registers a
     * new revision with only those images changed. Insertion-ordered.
     */
    record ImageOverrides(Map<String, String> imagesByContainer) implements RevisionSource {
        public ImageOverrides {
            imagesByContainer = imagesByContainer == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(imagesByContainer));
        }

        /**
         * Parses {@code container=image} pairs (e.g. {@code web=registry/web:1.4.2}); a malformed entry
         * is kept under its raw text with a null image so the validator can name it.
         */
        public static ImageOverrides parse(Iterable<String> pairs) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String p : pairs) {
                int eq = p == null ? -1 : p.indexOf('=');
                if (eq <= 0) {
                    m.put(p == null ? "" : p, null);
                } else {
                    m.put(blankTrim(p.substring(0, eq)), blankTrim(p.substring(eq + 1)));
                }
            }
            return new ImageOverrides(m);
        }

        /**
         * Spaces, tabs and line breaks around a pair are layout; String#trim would also drop other control characters
         * (BEL, ESC) at either end and so accept an image it should refuse with the value shown (docs/security.md).
         */
        private static String blankTrim(String s) {
            return s.replaceAll("^[ \\t\\r\\n]+|[ \\t\\r\\n]+$", "");
        }
    }

    /** A task definition as RegisterTaskDefinition JSON (the AWS CLI's input shape); origin names it in messages. */
    record TaskDefinitionJson(String json, String origin) implements RevisionSource {}
}
