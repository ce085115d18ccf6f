package io.jenkins.plugins.ecsdeploy.engine.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad cutover requests are refused before any AWS call, naming the field, the value and what is allowed. */
class CutoverValidatorTest {
    static DnsCutoverRequest.Builder ok() {
        return CutoverPlanTest.ecs();
    }

    static ValidationProblem only(DnsCutoverRequest.Builder b) {
        List<ValidationProblem> p = CutoverValidator.validate(b.build());
        assertEquals(1, p.size(), p.toString());
        return p.get(0);
    }

    @Test
    void aValidRequestHasNoProblem() {
        assertEquals(List.of(), CutoverValidator.validate(ok().build()));
    }

    @Test
    void stepsMustIncreaseToOneHundredInWholePercent() {
        assertEquals("steps '[50, 10, 100]': increasing percentages, e.g. [10, 50, 100]",
                only(ok().steps(List.of(50, 10, 100))).message());
        assertEquals("steps '[10, 50]': a last step of 100 (the cutover ends with every answer on green)",
                only(ok().steps(List.of(10, 50))).message());
        assertEquals("steps", only(ok().steps(List.of(0, 100))).field());
    }

    @Test
    void theZoneTheNameAndTheTtlFollowRoute53() {
        assertEquals("hostedZoneId", only(ok().hostedZoneId("z-lower")).field());
        assertEquals("recordName", only(ok().recordName("api..example.com")).field());
        assertEquals("recordName", only(ok().recordName("api.exa mple.com")).field());
        assertEquals("ttlSeconds '90000': 0 to 86400 seconds (the cutover waits one TTL after every step; 60 is usual)",
                only(ok().ttlSeconds(90000)).message());
    }

    @Test
    void aLoadBalancerAliasCannotShareARecordWithAHostNameValue() {
        ValidationProblem p = only(ok().green(new CutoverTarget.Value("green.example.com")));
        assertEquals("green.value", p.field());
        assertTrue(p.allowed().contains("weighted records of one name share one type"), p.allowed());
    }

    @Test
    void blueAndGreenMustDiffer() {
        ValidationProblem p = only(ok().green(new CutoverTarget.EcsService("prod-ec2", "api")));
        assertEquals("green", p.field());
    }

    @Test
    void theHealthCheckUrlMustBeHttpWithoutCredentials() {
        ValidationProblem p = only(ok().healthCheck(HealthCheck.url("http://admin:s3cret@green.internal/health")));
        assertEquals("healthCheck.url", p.field());
        assertTrue(!p.message().contains("s3cret"), "the password is not repeated: " + p.message());
        assertEquals("healthCheck.url", only(ok().healthCheck(HealthCheck.url("file:///etc/passwd"))).field());
        assertEquals("healthCheck.expectedStatus", only(ok().healthCheck(HealthCheck.path("/h").withExpectedStatus(42))).field());
    }

    @Test
    void aGateTimeoutIsOneMinuteToFourteenDays() {
        assertEquals("gate.timeoutMinutes", only(ok().gate(new CutoverGate(0, null))).field());
        assertEquals("gate.timeoutMinutes", only(ok().gate(new CutoverGate(20161, null))).field());
    }

    @Test
    void deployingGreenFirstNeedsGreensServiceAndNoGate() {
        DeploymentRequest d = DeploymentRequest.builder().region("eu-west-1").cluster("prod-fargate").service("api")
                .taskDefinition("api:7").strategy(new Strategy.BlueGreen(10, null, null))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 60, null)).build();
        List<ValidationProblem> p = CutoverValidator.validate(ok().deployGreen(d).build());
        assertEquals(List.of("deployGreen.gates"), p.stream().map(ValidationProblem::field).toList());
        List<ValidationProblem> q = CutoverValidator.validate(ok().deployGreen(d.toBuilder().gates(List.of()).service("other").build()).build());
        assertEquals(List.of("deployGreen.service"), q.stream().map(ValidationProblem::field).toList());
    }

    @Test
    void theEngineRefusesBeforeAnyAwsCall() {
        FakeRoute53 r53 = new FakeRoute53(() -> ManualTime.T0);
        CutoverEngine e = new CutoverEngine(CutoverKit.config(new ManualTime()), CutoverKit.clients(r53), null, Runnable::run);
        InvalidRequestException ex = assertThrows(InvalidRequestException.class, () -> e.start(ok().steps(List.of(10, 50)).build(), null, null));
        assertEquals("steps", ex.problems().get(0).field());
        assertTrue(r53.changes.isEmpty() && r53.getChangeCalls.isEmpty());
    }
}
