package io.jenkins.plugins.ecsdeploy.engine.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one JSON mapping of the snapshot (docs/snapshot-schema.md): every part of a {@code DeploymentSnapshot} is a
 * record whose components ARE its JSON members, written and read by Jackson from the record itself. So a new member
 * is one record component; there is no hand-written toJson/fromJson pair to keep in step.
 *
 * <p>Conventions of the schema kept here, once: timestamps are ISO-8601 UTC with at most millisecond precision
 * (what JavaScript's {@code Date.parse} reads everywhere); null members are written as JSON null (never left out);
 * members a reader does not know are ignored (schema rule: within version 1 members are only added);
 * {@code outcome.description} is {@link Outcome#describe()}, {@code outcome.plainWords} {@link Outcome#plainWords()} and
 * {@code outcome.warning} {@link Outcome#warning()} (written, ignored when read).
 */
public final class SnapshotJson {
    private SnapshotJson() {}

    /** Thread-safe once configured (Jackson's documented contract for ObjectMapper). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("ecs-deploy-snapshot")
                    .addSerializer(Instant.class, new InstantWriter())
                    .addDeserializer(Instant.class, new InstantReader()))
            .addMixIn(Outcome.class, OutcomeJson.class)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    /** ISO-8601 UTC, at most milliseconds: "2026-11-22T01:02:03.456Z", "2026-11-22T01:02:03Z". */
    public static String iso(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static final class InstantWriter extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider p) throws IOException {
            gen.writeString(iso(value));
        }
    }

    private static final class InstantReader extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = p.getValueAsString();
            return s == null || s.isEmpty() ? null : Instant.parse(s);
        }
    }

    /** Adds {@code description} (one line for a log or a banner) to the outcome's JSON. */
    abstract static class OutcomeJson {
        @JsonProperty(value = "description", access = JsonProperty.Access.READ_ONLY)
        abstract String describe();

        /** The outcome in plain words, the text every front end shows (issue 9). */
        @JsonProperty(value = "plainWords", access = JsonProperty.Access.READ_ONLY)
        abstract String plainWords();

        /** What the user must check now (an empty target group after a failed first deployment), or null. */
        @JsonProperty(value = "warning", access = JsonProperty.Access.READ_ONLY)
        abstract String warning();
    }
}
