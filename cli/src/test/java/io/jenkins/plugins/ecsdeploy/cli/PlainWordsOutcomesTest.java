package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.Scenario;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy} ends with the engine's plain words for the outcome (Outcome.plainWords, the text the plugin and the
 * page show too) and its warning, for the causes classified from ECS's structured fields and published texts.
 */
class PlainWordsOutcomesTest {
    static final double SPEED = 600;
    private EcsSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = EcsSimulator.builder().clock(VirtualClock.scaled(Instant.now(), SPEED)).build().start();
        sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private CliRun deploy(String service, String image, String... more) {
        String[] base = {"deploy", "--endpoint", sim.endpoint().toString(), "--poll-seconds", "0.2", "--poll-max-seconds", "1",
            "--cluster", "prod", "--service", service, "--image", "web=" + image, "--plain"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.run(all);
    }

    @Test
    void aBlueGreenCircuitBreakerRollbackIsSaidInPlainWords() {
        sim.seed().loadBalancedService("prod", "web", 2, LoadBalancerType.ALB);
        CliRun r = deploy("web", "registry/web:bad", "--strategy", "blue-green", "--bake-minutes", "1", "--circuit-breaker");
        assertTrue(r.out().contains("Rolled back because the deployment circuit breaker tripped: new tasks kept failing to start"),
                r.toString());
    }

    @Test
    void waitingForAStageTheDeploymentNeverReachesFollowsItToItsOutcome() {
        sim.seed().loadBalancedService("prod", "web", 2, LoadBalancerType.ALB);
        CliRun r = deploy("web", "registry/web:bad", "--strategy", "blue-green", "--bake-minutes", "1", "--circuit-breaker",
                "--wait-until", "BAKE_TIME");
        assertTrue(!r.out().contains("Reached BAKE_TIME"), r.toString());
        assertTrue(r.out().contains("Rolled back because the deployment circuit breaker tripped"), r.toString());
    }

    @Test
    void invalidLoadBalancerWiringAndAMissingPermissionAreSaidInPlainWords() {
        sim.seed().loadBalancedService("prod", "web", 2, LoadBalancerType.ALB);
        sim.scenario().infrastructureFault(Scenario.InfrastructureFault.INVALID_NETWORKING);
        CliRun networking = deploy("web", "registry/web:2", "--strategy", "blue-green", "--bake-minutes", "1");
        assertTrue(networking.out().contains("Rolled back because ECS found the load balancer wiring invalid"), networking.toString());
        sim.scenario().infrastructureFault(Scenario.InfrastructureFault.ELB_PERMISSIONS);
        CliRun permissions = deploy("web", "registry/web:3", "--strategy", "blue-green", "--bake-minutes", "1");
        assertTrue(permissions.out().contains("Rolled back because ECS could not use an IAM role: it could not assume it or the "
                + "role lacks a permission: role arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers"),
                permissions.toString());
    }

    @Test
    void aDeploymentWithNoEarlierRevisionEndsWithTheEmptyTargetGroupWarning() throws Exception {
        // a service whose only deployment so far failed: nothing was ever completed
        sim.seed().cluster("prod");
        String td = sim.seed().taskDefinition("fresh", "registry/web:bad");
        ObjectNode create = new ObjectMapper().createObjectNode().put("cluster", "prod").put("serviceName", "fresh")
                .put("taskDefinition", td).put("desiredCount", 2);
        create.putObject("deploymentConfiguration").putObject("deploymentCircuitBreaker").put("enable", true).put("rollback", true);
        String first = sim.call("CreateService", create).path("service").path("currentServiceDeployment").asText();
        for (int i = 0; i < 600 && !"ROLLBACK_FAILED".equals(sim.status(first)); i++) {
            Thread.sleep(10); // test only: the simulator's own clock moves 600x
        }
        CliRun r = deploy("fresh", "registry/web:bad2", "--circuit-breaker");
        assertTrue(r.out().contains("Failed, and could not roll back: the deployment failed (circuit breaker triggered: "), r.toString());
        assertTrue(r.out().contains("Warning: " + Outcome.EMPTY_TARGET_GROUP_WARNING), r.toString());
    }
}
