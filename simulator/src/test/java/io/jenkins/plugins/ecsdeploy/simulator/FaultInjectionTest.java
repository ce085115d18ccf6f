package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.ServerException;

class FaultInjectionTest extends SimulatorTestBase {

    @Test
    void throttlingSurfacesAsThrottlingExceptionWithoutRetries() {
        sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        sim.faults().throttleNext("DescribeServices", 1);
        EcsException e = assertThrows(EcsException.class, () -> ecs.describeServices(r -> r.cluster("demo").services("web")));
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertTrue(e.isThrottlingException());
        // The burst is used up.
        assertEquals(1, ecs.describeServices(r -> r.cluster("demo").services("web")).services().size());
    }

    @Test
    void throttlingIsRetriedBySdkDefaultRetries() {
        sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        sim.faults().throttleNext("DescribeServices", 2);
        try (EcsClient retrying = client(sim.endpoint(), null)) {
            assertEquals(1, retrying.describeServices(r -> r.cluster("demo").services("web")).services().size());
        }
        assertEquals(3, sim.stats().count("DescribeServices"));
    }

    @Test
    void serverErrorsAreServerExceptionsAndOtherOperationsAreUnaffected() {
        sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        sim.faults().serverErrorNext("DescribeServices", 1);
        ServerException e = assertThrows(ServerException.class, () -> ecs.describeServices(r -> r.cluster("demo").services("web")));
        assertEquals(500, e.statusCode());
        assertEquals(1, ecs.listServiceDeployments(r -> r.cluster("demo").service("web")).serviceDeployments().size());
    }

    @Test
    void droppedConnectionIsAClientSideError() {
        sim.faults().dropNext(null, 1);
        assertThrows(SdkClientException.class, () -> ecs.createCluster(r -> r.clusterName("x")));
        assertEquals("x", ecs.createCluster(r -> r.clusterName("x")).cluster().clusterName());
    }

    @Test
    void ratesAreDeterministicForASeed() {
        sim.seed().cluster("demo");
        sim.faults().throttleRate(null, 0.5);
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            try {
                ecs.createCluster(r -> r.clusterName("demo"));
                first.append('.');
            } catch (EcsException e) {
                first.append('T');
            }
        }
        assertTrue(first.indexOf("T") >= 0 && first.indexOf(".") >= 0, first.toString());
        try (EcsSimulator other = EcsSimulator.builder().clock(VirtualClock.manual(T0)).build().start();
             EcsClient c2 = client(other.endpoint(), software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())) {
            other.faults().throttleRate(null, 0.5);
            StringBuilder second = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                try {
                    c2.createCluster(r -> r.clusterName("demo"));
                    second.append('.');
                } catch (EcsException e) {
                    second.append('T');
                }
            }
            assertEquals(first.toString(), second.toString());
        }
    }

    @Test
    void latencyDelaysAnswersInRealTime() {
        sim.faults().latency(Duration.ofMillis(150));
        long start = System.nanoTime();
        ecs.createCluster(r -> r.clusterName("slow"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 150, ms + " ms");
    }

    @Test
    void callsAreCountedPerOperation() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        assertEquals(0, sim.stats().total()); // seeding is not counted
        describe(s.deploymentArn());
        describe(s.deploymentArn());
        ecs.listServiceDeployments(r -> r.cluster("demo").service("web"));
        assertEquals(2, sim.stats().count("DescribeServiceDeployments"));
        assertEquals(1, sim.stats().count("ListServiceDeployments"));
        assertEquals(3, sim.stats().total());
    }
}
