package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.services.ecs.model.CreateClusterResponse;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;

/**
 * The SDK silently ignores JSON members it does not know, so a misspelt member would just read as null.
 * This walks the raw JSON of every response against the SDK model's marshalled names and types.
 */
class JsonMemberNamesTest extends SimulatorTestBase {

    private static void check(String path, JsonNode json, List<SdkField<?>> fields, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            SdkField<?> f = fields.stream().filter(x -> e.getKey().equals(x.locationName())).findFirst().orElse(null);
            if (f == null) {
                problems.add(path + "." + e.getKey() + ": not a member of the model");
                continue;
            }
            value(path + "." + e.getKey(), e.getValue(), f, problems);
        }
    }

    private static void value(String path, JsonNode v, SdkField<?> f, List<String> problems) {
        MarshallingType<?> t = f.marshallingType();
        if (t == MarshallingType.SDK_POJO) {
            if (!v.isObject()) {
                problems.add(path + ": object expected");
                return;
            }
            check(path, v, f.constructor().get().sdkFields(), problems);
        } else if (t == MarshallingType.LIST) {
            if (!v.isArray()) {
                problems.add(path + ": array expected");
                return;
            }
            SdkField<?> member = f.getRequiredTrait(ListTrait.class).memberFieldInfo();
            for (JsonNode x : v) {
                value(path + "[]", x, member, problems);
            }
        } else if (t == MarshallingType.MAP) {
            SdkField<?> member = f.getRequiredTrait(MapTrait.class).valueFieldInfo();
            v.fields().forEachRemaining(e -> value(path + "{}", e.getValue(), member, problems));
        } else if (t == MarshallingType.STRING && !v.isTextual()) {
            problems.add(path + ": string expected, got " + v);
        } else if ((t == MarshallingType.INTEGER || t == MarshallingType.LONG) && !v.isIntegralNumber()) {
            problems.add(path + ": integer expected, got " + v);
        } else if (t == MarshallingType.DOUBLE && !v.isNumber()) {
            problems.add(path + ": number expected, got " + v);
        } else if (t == MarshallingType.BOOLEAN && !v.isBoolean()) {
            problems.add(path + ": boolean expected, got " + v);
        } else if (t == MarshallingType.INSTANT && !v.isNumber()) {
            problems.add(path + ": epoch seconds expected, got " + v);
        }
    }

    private static void assertModelled(JsonNode json, SdkPojo responseBuilder) {
        List<String> problems = new ArrayList<>();
        check("", json, responseBuilder.sdkFields(), problems);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyResponseMemberIsAModelMemberWithTheModelType() {
        sim.lambdas().register("arn:aws:lambda:us-east-1:123456789012:function:f", e -> HookResponse.failed());
        sim.scenario().alarmAfter("A", Duration.ofMinutes(1));
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.CANARY)
                .canaryConfiguration(c -> c.canaryPercent(10.0).canaryBakeTimeInMinutes(1)).bakeTimeInMinutes(1)
                .alarms(a -> a.alarmNames("A").enable(true).rollback(true))
                .deploymentCircuitBreaker(c -> c.enable(true).rollback(true))
                .lifecycleHooks(PauseHookTest.pause("PRE_SCALE_UP", 30, software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookAction.CONTINUE))
                .build());
        clock.advance(Duration.ofSeconds(5)); // PAUSE awaiting: lifecycleHookDetails filled
        ObjectNode req = Json.obj();
        req.putArray("serviceDeploymentArns").add(arn).add(arn + "x");
        JsonNode awaiting = sim.call("DescribeServiceDeployments", req);
        assertTrue(awaiting.path("serviceDeployments").get(0).path("lifecycleHookDetails").size() == 1);
        assertModelled(awaiting, DescribeServiceDeploymentsResponse.builder());
        clock.advance(Duration.ofMinutes(2)); // alarm → rollback: rollback member filled
        JsonNode rolledBack = sim.call("DescribeServiceDeployments", req);
        assertTrue(rolledBack.path("serviceDeployments").get(0).has("rollback"));
        assertModelled(rolledBack, DescribeServiceDeploymentsResponse.builder());

        ObjectNode svc = Json.obj();
        svc.put("cluster", "demo");
        svc.putArray("services").add("web").add("ghost");
        assertModelled(sim.call("DescribeServices", svc), DescribeServicesResponse.builder());
        ObjectNode list = Json.obj();
        list.put("cluster", "demo");
        list.put("service", "web");
        list.put("maxResults", 1);
        JsonNode listed = sim.call("ListServiceDeployments", list);
        assertTrue(listed.has("nextToken"));
        assertModelled(listed, ListServiceDeploymentsResponse.builder());
        ObjectNode revs = Json.obj();
        JsonNode d = rolledBack.path("serviceDeployments").get(0);
        revs.putArray("serviceRevisionArns").add(d.path("targetServiceRevision").path("arn").asText())
                .add(d.path("sourceServiceRevisions").get(0).path("arn").asText()).add("arn:x");
        assertModelled(sim.call("DescribeServiceRevisions", revs), DescribeServiceRevisionsResponse.builder());
        ObjectNode td = Json.obj();
        td.put("taskDefinition", "web");
        td.putArray("include").add("TAGS");
        assertModelled(sim.call("DescribeTaskDefinition", td), DescribeTaskDefinitionResponse.builder());
        ObjectNode cl = Json.obj();
        cl.put("clusterName", "demo");
        assertModelled(sim.call("CreateCluster", cl), CreateClusterResponse.builder());
    }

    @Test
    void theCheckerItselfCatchesAMisspeltMemberAndAWrongType() throws Exception {
        JsonNode bad = Json.MAPPER.readTree("{\"serviceDeployments\":[{\"serviceDeploymentArn\":\"a\",\"lifecycleStages\":\"X\","
                + "\"targetServiceRevision\":{\"requestedTaskCount\":\"2\"}}]}");
        List<String> problems = new ArrayList<>();
        check("", bad, DescribeServiceDeploymentsResponse.builder().sdkFields(), problems);
        assertEquals(List.of(".serviceDeployments[].lifecycleStages: not a member of the model",
                ".serviceDeployments[].targetServiceRevision.requestedTaskCount: integer expected, got \"2\""), problems);
    }
}
