package io.jenkins.plugins.ecsdeploy.engine.switchover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson;
import java.time.Instant;

/**
 * Where a switchover stands, for the progress page (a host adds it to the deployment snapshot's JSON as
 * {@code switchover}, rendered by web/cutover.js; docs/snapshot-schema.md "switchover") and the console. Status:
 * WAITING (the stage is not reached), FLIPPED (green's value set), FLIPPED_BACK (blue's value set again after a
 * rollback), NOT_FLIPPED (the deployment ended before the stage), FAILED (the flag could not be set or set back:
 * {@code detail} says what to do). {@code previousValue} is what the parameter held right before the flip.
 */
public record SwitchoverState(String parameter, String stage, String status, String greenValue, String blueValue,
                              String previousValue, Instant flippedAt, Instant flippedBackAt, String detail) {
    public static SwitchoverState waiting(Switchover s) {
        return new SwitchoverState(s.parameter(), s.stage(), "WAITING", s.greenValue(), s.blueValue(), null, null, null, null);
    }

    SwitchoverState with(String status, String detail) {
        return new SwitchoverState(parameter, stage, status, greenValue, blueValue, previousValue, flippedAt, flippedBackAt, detail);
    }

    public ObjectNode toJsonNode() {
        return SnapshotJson.MAPPER.valueToTree(this);
    }

    /** One line for the console. */
    public String describe() {
        return switch (status) {
            case "WAITING" -> "switchover: " + parameter + " will be set to " + greenValue + " at " + stage;
            case "FLIPPED" -> "switchover: " + parameter + " set to '" + greenValue + "' (was '" + previousValue + "'): green works, blue stops";
            case "FLIPPED_BACK" -> "switchover: " + parameter + " set back to '" + blueValue + "': blue works again";
            case "NOT_FLIPPED" -> "switchover: " + parameter + " not changed (" + detail + ")";
            default -> "switchover: " + parameter + " FAILED: " + detail;
        };
    }
}
