package io.jenkins.plugins.ecsdeploy.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * The cadence is a pure function of the latest observation and the deployment's pace (quiet rounds, when the stage was
 * first seen, when the traffic last changed): no log, no clock, no randomness — same inputs, same delay.
 */
class CadenceTest {
    static final Instant T = Instant.parse("2026-12-02T00:00:00Z");
    final Cadence cadence = new Cadence(Duration.ofSeconds(5), Duration.ofSeconds(60));

    static Observation obs(String status, String stage, Integer bake, Integer stepBake) {
        return obs(status, stage, bake, stepBake, 10.0);
    }

    static Observation obs(String status, String stage, Integer bake, Integer stepBake, double greenProduction) {
        return Observation.of(ServiceDeployment.builder().serviceDeploymentArn("arn").status(status).lifecycleStage(stage)
                .targetServiceRevision(r -> r.arn("rev/2").requestedProductionTrafficWeight(greenProduction))
                .deploymentConfiguration(c -> c.strategy("CANARY").bakeTimeInMinutes(bake)
                        .canaryConfiguration(k -> k.canaryPercent(10.0).canaryBakeTimeInMinutes(stepBake))).build(), T);
    }

    @Test
    void aChangeOrAPendingDeploymentIsLookedAtAfterTheFloor() {
        assertEquals(Duration.ofSeconds(5), cadence.next(obs("IN_PROGRESS", "SCALE_UP", 10, 5),
                new Cadence.Pace(0, T, null), T));
        assertEquals(Duration.ofSeconds(5), cadence.next(obs("PENDING", null, 10, 5), new Cadence.Pace(9, null, null), T));
    }

    @Test
    void aQuietStageSlowsDownByHalfPerRoundToAQuarterOfTheCeiling() {
        Observation o = obs("IN_PROGRESS", "SCALE_UP", 10, 5);
        assertEquals(Duration.ofMillis(7500), cadence.next(o, new Cadence.Pace(1, T, null), T));
        assertEquals(Duration.ofSeconds(15), cadence.next(o, new Cadence.Pace(8, T, null), T));
    }

    @Test
    void aStepBakeIsCountedFromTheLastTrafficChangeOfThePace() {
        Observation o = obs("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 10, 2);
        // weights changed 100 s ago, step bake 2 min: look again in 20 s (more than the quiet cadence would wait)
        assertEquals(Duration.ofSeconds(20), cadence.next(o, new Cadence.Pace(5, T, T.minusSeconds(100)), T));
        // no traffic change known: the quiet cadence
        assertEquals(Duration.ofSeconds(15), cadence.next(o, new Cadence.Pace(5, T, null), T));
        // the last shift (green at 100 %) has no step bake after it: the quiet cadence, not a wait for a bake
        assertEquals(Duration.ofSeconds(15), cadence.next(obs("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 10, 2, 100.0),
                new Cadence.Pace(5, T, T.minusSeconds(100)), T));
    }

    @Test
    void aBakeIsLookedAtWhenItShouldEndWithinFloorAndCeiling() {
        Observation o = obs("IN_PROGRESS", "BAKE_TIME", 30, 2);
        assertEquals(Duration.ofSeconds(60), cadence.next(o, new Cadence.Pace(3, T.minusSeconds(60), null), T));
        assertEquals(Duration.ofSeconds(30), cadence.next(o, new Cadence.Pace(3, T.minusSeconds(30 * 60 - 30), null), T));
        assertEquals(Duration.ofSeconds(5), cadence.next(o, new Cadence.Pace(3, T.minusSeconds(30 * 60 + 90), null), T));
    }

    @Test
    void pollingAloneLooksAtTheFloorWhileTheNextStageHasAGateButNotWithEvents() {
        Observation o = obs("IN_PROGRESS", "TEST_TRAFFIC_SHIFT", 10, 5);
        assertEquals(Duration.ofSeconds(5), cadence.next(o, new Cadence.Pace(6, T, null, true), T));
        assertEquals(Duration.ofSeconds(15), cadence.next(o, new Cadence.Pace(6, T, null, true), T, Duration.ofSeconds(15)));
    }

    @Test
    void theEventsSafetyNetIsWhatHalfTheEventsBudgetAffordsWithinAQuarterOfTheCeilingAndFiveMinutes() {
        assertEquals(Duration.ofSeconds(15), cadence.eventsTop(10, 1));
        assertEquals(Duration.ofSeconds(100), cadence.eventsTop(1000, 1));
        assertEquals(Duration.ofMinutes(5), cadence.eventsTop(5000, 1));
    }

    @Test
    void anAwaitingGateIsLookedAtNoLaterThanItExpires() {
        Observation o = Observation.of(ServiceDeployment.builder().serviceDeploymentArn("arn").status("IN_PROGRESS")
                .lifecycleStage("POST_TEST_TRAFFIC_SHIFT").deploymentConfiguration(c -> c.strategy("BLUE_GREEN"))
                .lifecycleHookDetails(h -> h.hookId("h").targetType("PAUSE").status("AWAITING_ACTION")
                        .expiresAt(T.plusSeconds(9))).build(), T);
        assertEquals(Duration.ofSeconds(9), cadence.next(o, new Cadence.Pace(4, T, null), T));
    }
}
