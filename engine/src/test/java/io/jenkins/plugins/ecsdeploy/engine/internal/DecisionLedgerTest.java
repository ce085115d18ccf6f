package io.jenkins.plugins.ecsdeploy.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.RecordedDecision;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The tag format of decisions kept on the service (docs/engine.md "Decisions on the service"). */
class DecisionLedgerTest {
    /** ECS's Tag key/value pattern (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html). */
    static final Pattern TAG = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    static final String ARN = "arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/AbCdEf0123456789ghijkl";
    static final Instant AT = Instant.parse("2026-12-02T18:00:00.123Z");

    @Test
    void theServiceArnIsTheLongFormOfTheDeploymentsService() {
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:service/prod/web", DecisionLedger.serviceArn(ARN));
        assertEquals("arn:aws-cn:ecs:cn-north-1:123456789012:service/c/s",
                DecisionLedger.serviceArn("arn:aws-cn:ecs:cn-north-1:123456789012:service-deployment/c/s/x"));
    }

    @Test
    void aValueRoundTripsAnyTextWithinEcsTagLimits() {
        String by = "Zoë O'Brien <zoe@example.com>";
        String comment = "p99 > 2 s; see INC-42 «rollback»\n\u001b[31m = fine?";
        String v = DecisionLedger.value("ROLLBACK", by, comment, AT);
        assertTrue(TAG.matcher(v).matches(), v);
        assertTrue(v.length() <= 256, v);
        assertTrue(v.startsWith("ROLLBACK 2026-12-02T18:00:00Z Zoë=20O=27Brien=20=3Czoe@example.com=3E p99 =3E 2 s=3B"), v);
        RecordedDecision d = DecisionLedger.parse(ARN, "ecs-pause-1", v);
        assertEquals("ROLLBACK", d.action());
        assertEquals(by, d.by());
        assertEquals(comment, d.comment());
        assertEquals(Instant.parse("2026-12-02T18:00:00Z"), d.at());
        assertFalse(d.truncated());
        assertEquals("ecs-pause-1", d.hookId());
    }

    @Test
    void aLongCommentIsShortenedToFitAndSaysSo() {
        String v = DecisionLedger.value("CONTINUE", "alice", "é,".repeat(400), AT);
        assertTrue(v.codePointCount(0, v.length()) <= 256, v.length() + ": " + v);
        assertTrue(TAG.matcher(v).matches());
        RecordedDecision d = DecisionLedger.parse(ARN, "h", v);
        assertTrue(d.truncated());
        assertEquals("CONTINUE", d.action());
        assertTrue(d.comment().startsWith("é,é,"), d.comment());
        assertFalse(d.comment().contains("\ufffd"), "no half escape decoded: " + d.comment());
    }

    @Test
    void keysNameTheDeploymentAndTheHookAndStayWithinTheirLimits() {
        assertEquals("ecs-deploy:AbCdEf0123456789ghijkl:ecs-pause-7", DecisionLedger.key(ARN, "ecs-pause-7"));
        assertEquals("ecs-deploy:AbCdEf0123456789ghijkl:rollback", DecisionLedger.key(ARN, null));
        String odd = DecisionLedger.key(ARN, "hook with <odd> chars=" + "x".repeat(200));
        assertTrue(odd.length() <= 128 && TAG.matcher(odd).matches(), odd);
        assertTrue(odd.startsWith("ecs-deploy:AbCdEf0123456789ghijkl:h="), odd);
        assertEquals(odd, DecisionLedger.key(ARN, "hook with <odd> chars=" + "x".repeat(200)), "the same hook, the same key");
    }

    @Test
    void aRollbackWithoutAGateHasNoHookId() {
        RecordedDecision d = DecisionLedger.parse(ARN, "rollback", DecisionLedger.value("ROLLBACK", "carol", "", AT));
        assertEquals(null, d.hookId());
        assertEquals("", d.comment());
        assertEquals("ROLLBACK by carol at 2026-12-02T18:00:00Z", d.describe());
    }
}
