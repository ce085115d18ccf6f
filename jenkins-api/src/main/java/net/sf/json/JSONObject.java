package net.sf.json;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stand-in: an ordered map with the accessors GlobalConfiguration code uses. */
public final class JSONObject {
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public JSONObject() {
    }

    public JSONObject element(String key, Object value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        return this;
    }

    public boolean has(String key) {
        return properties.containsKey(key);
    }

    public Object get(String key) {
        return properties.get(key);
    }

    public String getString(String key) {
        Object o = properties.get(key);
        if (o == null) {
            throw new IllegalStateException("JSONObject[\"" + key + "\"] not found.");
        }
        return o.toString();
    }

    public String optString(String key) {
        return optString(key, "");
    }

    public String optString(String key, String defaultValue) {
        Object o = properties.get(key);
        return o == null ? defaultValue : o.toString();
    }

    public boolean getBoolean(String key) {
        Object o = properties.get(key);
        if (o instanceof Boolean) {
            return (Boolean) o;
        }
        if (o != null && ("true".equalsIgnoreCase(o.toString()) || "false".equalsIgnoreCase(o.toString()))) {
            return Boolean.parseBoolean(o.toString());
        }
        throw new IllegalStateException("JSONObject[\"" + key + "\"] is not a Boolean.");
    }

    public boolean optBoolean(String key) {
        Object o = properties.get(key);
        return o != null && Boolean.parseBoolean(o.toString());
    }

    public JSONObject getJSONObject(String key) {
        Object o = properties.get(key);
        if (o instanceof JSONObject) {
            return (JSONObject) o;
        }
        throw new IllegalStateException("JSONObject[\"" + key + "\"] is not a JSONObject.");
    }

    public JSONObject optJSONObject(String key) {
        Object o = properties.get(key);
        return o instanceof JSONObject ? (JSONObject) o : null;
    }

    public boolean isNullObject() {
        return false;
    }

    @Override
    public String toString() {
        return properties.toString();
    }
}
