package hudson;

import java.util.Map;
import java.util.TreeMap;

/**
 * Stand-in: case-insensitive keys; {@link #override} removes a variable for an empty value and handles
 * {@code PATH+X} by prepending (docs/jenkins-behaviour.md "Bodies").
 */
public class EnvVars extends TreeMap<String, String> {
    private static final long serialVersionUID = 1L;

    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public EnvVars(Map<String, String> m) {
        this();
        if (m != null) {
            putAll(m);
        }
    }

    public EnvVars(EnvVars m) {
        this((Map<String, String>) m);
    }

    public EnvVars(String... keyValuePairs) {
        this();
        if (keyValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(java.util.Arrays.asList(keyValuePairs).toString());
        }
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            put(keyValuePairs[i], keyValuePairs[i + 1]);
        }
    }

    public void override(String key, String value) {
        if (value == null || value.isEmpty()) {
            remove(key);
            return;
        }
        int plus = key.indexOf('+');
        if (plus > 0) {
            String realKey = key.substring(0, plus);
            String existing = get(realKey);
            put(realKey, existing == null || existing.isEmpty() ? value : value + java.io.File.pathSeparatorChar + existing);
            return;
        }
        put(key, value);
    }

    public EnvVars overrideAll(Map<String, String> all) {
        for (Map.Entry<String, String> e : all.entrySet()) {
            override(e.getKey(), e.getValue());
        }
        return this;
    }

    public String expand(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length()) {
                if (s.charAt(i + 1) == '{') {
                    int end = s.indexOf('}', i + 2);
                    if (end > 0) {
                        String name = s.substring(i + 2, end);
                        String v = get(name);
                        out.append(v != null ? v : s.substring(i, end + 1));
                        i = end + 1;
                        continue;
                    }
                } else if (Character.isJavaIdentifierStart(s.charAt(i + 1))) {
                    int end = i + 1;
                    while (end < s.length() && Character.isJavaIdentifierPart(s.charAt(end))) {
                        end++;
                    }
                    String v = get(s.substring(i + 1, end));
                    out.append(v != null ? v : s.substring(i, end));
                    i = end;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    public String get(String key, String defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : v;
    }

    @Override
    public String put(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Null value not allowed as an environment variable: " + key);
        }
        return super.put(key, value);
    }

    public void putIfNotNull(String key, String value) {
        if (value != null) {
            put(key, value);
        }
    }

    public void putAllNonNull(Map<String, String> map) {
        map.forEach(this::putIfNotNull);
    }
}
