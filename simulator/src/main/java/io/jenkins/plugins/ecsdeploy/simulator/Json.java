package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Jackson helpers; timestamps are epoch seconds with millisecond fractions (AWS JSON 1.1 as the SDK writes it; docs/simulator.md "[SDK-WIRE]"). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private Json() {
    }

    static ObjectNode obj() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode arr() {
        return MAPPER.createArrayNode();
    }

    static BigDecimal ts(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli(), 3);
    }

    static void putTs(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, ts(t));
        }
    }

    static Instant readTs(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw AwsError.invalid(field + ": '" + v.asText() + "' is not a timestamp; epoch seconds expected");
        }
        BigDecimal secs = v.decimalValue();
        BigDecimal millis = secs.movePointRight(3).setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochMilli(millis.longValueExact());
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Integer integer(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw AwsError.invalid(field + ": '" + v.asText() + "' is not an integer");
        }
        return v.asInt();
    }

    static Double dbl(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw AwsError.invalid(field + ": '" + v.asText() + "' is not a number");
        }
        return v.asDouble();
    }

    static Boolean bool(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw AwsError.invalid(field + ": '" + v.asText() + "' is not a boolean");
        }
        return v.asBoolean();
    }

    static List<String> strings(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw AwsError.invalid(field + ": a list of strings expected");
        }
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    static ArrayNode strArray(List<String> values) {
        ArrayNode a = arr();
        values.forEach(a::add);
        return a;
    }
}
