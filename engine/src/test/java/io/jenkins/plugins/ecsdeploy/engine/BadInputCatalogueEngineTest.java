package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.RecordingEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The engine's part of the bad-input catalogue (docs/reliability.md "Bad input"): every case is a request a caller
 * (CLI, Pipeline step, freestyle step) could build from hostile or mistaken input. Each must be refused by
 * {@code start}, {@code preflight} and {@code plan} alike, with a line naming the field, the value shortened and
 * sanitised, and what is allowed — and no request may reach the endpoint (a {@link RecordingEndpoint}).
 */
class BadInputCatalogueEngineTest {
    static RecordingEndpoint endpoint;
    static DeploymentEngine engine;
    static final List<String> REFUSED = Collections.synchronizedList(new ArrayList<>());

    static final String ACCOUNT = "123456789012";
    static final String ESC = "\u001b";

    @BeforeAll
    static void start() {
        endpoint = RecordingEndpoint.start();
        engine = new DeploymentEngine(EngineConfig.builder().region("us-east-1").endpointOverride(endpoint.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build());
    }

    @AfterAll
    static void stop() {
        engine.close();
        endpoint.close();
        System.out.println("[reliability] bad inputs refused before any request (engine): " + REFUSED.size());
        assertTrue(REFUSED.size() >= 90, "the engine catalogue holds " + REFUSED.size() + " cases");
    }

    static DeploymentRequest.Builder valid() {
        return DeploymentRequest.builder().region("us-east-1").cluster("prod").service("web")
                .revision(new RevisionSource.ImageOverrides(Map.of("web", "registry/web:1.4.2")))
                .strategy(new Strategy.Canary(10.0, 5, 10))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK));
    }

    static Arguments c(String name, String field, String value, UnaryOperator<DeploymentRequest.Builder> change) {
        return Arguments.of(name, field, value, change.apply(valid()).build());
    }

    static DeploymentRequest.Builder image(DeploymentRequest.Builder b, String image) {
        return b.revision(new RevisionSource.ImageOverrides(Map.of("web", image)));
    }

    static DeploymentRequest.Builder json(DeploymentRequest.Builder b, String json) {
        return b.revision(new RevisionSource.TaskDefinitionJson(json, "td.json"));
    }

    static String td(String containers, String extra) {
        return "{\"family\":\"web\",\"containerDefinitions\":[" + containers + "]" + extra + "}";
    }

    static String container(String name, String image) {
        return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"}";
    }

    static final String WEB = container("web", "registry/web:2");
    static final String TDJ = "taskDefinitionJson(td.json)";

    static LambdaHook hook(String fn, String role, List<String> stages, String details, Integer timeout) {
        return new LambdaHook(fn, role, stages, details, timeout, null);
    }

    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
    static final String ROLE = "arn:aws:iam::123456789012:role/ecs-hooks";

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        // ---- region
        a.add(c("no region", "region", null, b -> b.region(null)));
        a.add(c("empty region", "region", "", b -> b.region("")));
        a.add(c("blank region", "region", "   ", b -> b.region("   ")));
        a.add(c("upper-case region", "region", "US-EAST-1", b -> b.region("US-EAST-1")));
        a.add(c("region with a newline", "region", "us-east-1\n", b -> b.region("us-east-1\n")));
        a.add(c("region with a shell command", "region", "us-east-1; rm -rf /", b -> b.region("us-east-1; rm -rf /")));
        // ---- cluster
        a.add(c("empty cluster", "cluster", "", b -> b.cluster("")));
        a.add(c("cluster with a space", "cluster", "prod cluster", b -> b.cluster("prod cluster")));
        a.add(c("cluster of 256 characters", "cluster", "c".repeat(256), b -> b.cluster("c".repeat(256))));
        a.add(c("cluster with an escape sequence", "cluster", "prod" + ESC + "[2J", b -> b.cluster("prod" + ESC + "[2J")));
        a.add(c("cluster ARN of another region", "cluster", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":cluster/prod",
                b -> b.cluster("arn:aws:ecs:eu-west-1:" + ACCOUNT + ":cluster/prod")));
        a.add(c("cluster ARN of another service", "cluster", "arn:aws:iam::" + ACCOUNT + ":role/prod",
                b -> b.cluster("arn:aws:iam::" + ACCOUNT + ":role/prod")));
        // ---- service
        a.add(c("no service", "service", null, b -> b.service(null)));
        a.add(c("empty service", "service", "", b -> b.service("")));
        a.add(c("service with CR LF", "service", "web\r\nApproved by admin", b -> b.service("web\r\nApproved by admin")));
        a.add(c("service with markup", "service", "<script>alert(1)</script>", b -> b.service("<script>alert(1)</script>")));
        a.add(c("service of 300 characters", "service", "s".repeat(300), b -> b.service("s".repeat(300))));
        a.add(c("service ARN of another region", "service", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":service/prod/web",
                b -> b.service("arn:aws:ecs:eu-west-1:" + ACCOUNT + ":service/prod/web")));
        a.add(c("service ARN of another cluster", "service", "arn:aws:ecs:us-east-1:" + ACCOUNT + ":service/other/web",
                b -> b.service("arn:aws:ecs:us-east-1:" + ACCOUNT + ":service/other/web")));
        a.add(c("service ARN of another account than the cluster ARN", "service",
                "arn:aws:ecs:us-east-1:222222222222:service/prod/web",
                b -> b.cluster("arn:aws:ecs:us-east-1:111111111111:cluster/prod")
                        .service("arn:aws:ecs:us-east-1:222222222222:service/prod/web")));
        a.add(c("service ARN of another service", "service", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:web",
                b -> b.service("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:web")));
        a.add(c("service ARN naming a cluster while none is given", "service",
                "arn:aws:ecs:us-east-1:" + ACCOUNT + ":service/prod/web",
                b -> b.cluster(null).service("arn:aws:ecs:us-east-1:" + ACCOUNT + ":service/prod/web")));
        // ---- revision: image overrides
        a.add(c("no revision", "revision", null, b -> b.revision(null)));
        a.add(c("no image override", "images", "", b -> b.revision(new RevisionSource.ImageOverrides(Map.of()))));
        a.add(c("empty image", "images[web]", "", b -> image(b, "")));
        a.add(c("image with a space", "images[web]", "registry/web: 1", b -> image(b, "registry/web: 1")));
        a.add(c("image with ESC", "images[web]", "registry/web:1" + ESC + "[31m", b -> image(b, "registry/web:1" + ESC + "[31m")));
        a.add(c("image with BEL", "images[web]", "registry/web:1\u0007", b -> image(b, "registry/web:1\u0007")));
        a.add(c("image with NUL", "images[web]", "registry/web:1\u0000", b -> image(b, "registry/web:1\u0000")));
        a.add(c("image with a zero-width space", "images[web]", "registry/w\u200beb:1", b -> image(b, "registry/w\u200beb:1")));
        a.add(c("image with a right-to-left override", "images[web]", "registry/web:1\u202e2.4.1",
                b -> image(b, "registry/web:1\u202e2.4.1")));
        a.add(c("image with a byte order mark", "images[web]", "\ufeffregistry/web:1", b -> image(b, "\ufeffregistry/web:1")));
        a.add(c("image with markup", "images[web]", "<img src=x onerror=alert(1)>", b -> image(b, "<img src=x onerror=alert(1)>")));
        a.add(c("image of 256 characters", "images[web]", "r/" + "w".repeat(254), b -> image(b, "r/" + "w".repeat(254))));
        a.add(c("image of 100 kB", "images[web]", "w".repeat(100_000), b -> image(b, "w".repeat(100_000))));
        a.add(c("image with a shell separator", "images[web]", "registry/web:1.4.2;rm -rf /", b -> image(b, "registry/web:1.4.2;rm -rf /")));
        a.add(c("image with a command substitution", "images[web]", "registry/web:$(id)", b -> image(b, "registry/web:$(id)")));
        a.add(c("image with a short digest", "images[web]", "registry/web@sha256:abc", b -> image(b, "registry/web@sha256:abc")));
        a.add(c("image with an empty path component", "images[web]", "registry//web", b -> image(b, "registry//web")));
        a.add(c("image starting with a dash", "images[web]", "-web:1", b -> image(b, "-web:1")));
        a.add(c("image with an empty tag", "images[web]", "web:", b -> image(b, "web:")));
        a.add(c("image with full-width letters", "images[web]", "\uff32egistry/web", b -> image(b, "\uff32egistry/web")));
        a.add(c("image with a header injection", "images[web]", "registry/web:1\r\nX-Injected: 1",
                b -> image(b, "registry/web:1\r\nX-Injected: 1")));
        a.add(c("image with a number sign", "images[web]", "registry/web:1#frag", b -> image(b, "registry/web:1#frag")));
        a.add(c("container name with a space", "images[we b]", "we b",
                b -> b.revision(new RevisionSource.ImageOverrides(Map.of("we b", "registry/web:1")))));
        a.add(c("container name with ESC", "images[web" + ESC + "]", "web" + ESC,
                b -> b.revision(new RevisionSource.ImageOverrides(Map.of("web" + ESC, "registry/web:1")))));
        a.add(c("container without an image", "images", "web",
                b -> b.revision(RevisionSource.ImageOverrides.parse(List.of("web")))));
        // ---- revision: task definition
        a.add(c("task definition without revision", "taskDefinition", "web", b -> b.taskDefinition("web")));
        a.add(c("task definition revision 0", "taskDefinition", "web:0", b -> b.taskDefinition("web:0")));
        a.add(c("task definition ARN of another region", "taskDefinition",
                "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task-definition/web:3",
                b -> b.taskDefinition("arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task-definition/web:3")));
        a.add(c("task definition ARN of another service", "taskDefinition", FN, b -> b.taskDefinition(FN)));
        a.add(c("task definition with a newline", "taskDefinition", "web:3\nweb:4", b -> b.taskDefinition("web:3\nweb:4")));
        // ---- revision: task definition file
        a.add(c("empty task definition file", TDJ, "", b -> json(b, "")));
        a.add(c("task definition file that is not JSON", TDJ, "{nope", b -> json(b, "{nope")));
        a.add(c("task definition file that is an array", TDJ, "[]", b -> json(b, "[]")));
        a.add(c("task definition file that is null", TDJ, "null", b -> json(b, "null")));
        a.add(c("task definition file without containers", TDJ + ".containerDefinitions", null,
                b -> json(b, "{\"family\":\"web\"}")));
        a.add(c("task definition file with a misspelt member", TDJ + ".containerDefinitons", "[]",
                b -> json(b, td(WEB, ",\"containerDefinitons\":[]"))));
        a.add(c("task definition file with 11 containers", TDJ + ".containerDefinitions", "11 containers",
                b -> json(b, td(String.join(",", Collections.nCopies(11, WEB)), ""))));
        a.add(c("task definition file with a container name twice", TDJ + ".containerDefinitions[1].name", "web",
                b -> json(b, td(WEB + "," + WEB, ""))));
        a.add(c("task definition file with an escape in an image", TDJ + ".containerDefinitions[0].image",
                "registry/web:2" + ESC + "]0;x",
                b -> json(b, td(container("web", "registry/web:2\\u001b]0;x"), ""))));
        a.add(c("task definition file with a numeric image", TDJ + ".containerDefinitions[0].image", "42",
                b -> json(b, td("{\"name\":\"web\",\"image\":42}", ""))));
        a.add(c("task definition file whose task role is a Lambda ARN", TDJ + ".taskRoleArn", FN,
                b -> json(b, td(WEB, ",\"taskRoleArn\":\"" + FN + "\""))));
        a.add(c("task definition file with an odd role name", TDJ + ".executionRoleArn", "not a role!",
                b -> json(b, td(WEB, ",\"executionRoleArn\":\"not a role!\""))));
        a.add(c("task definition file with a role of another account", TDJ + ".taskRoleArn",
                "arn:aws:iam::999999999999:role/admin",
                b -> json(b.cluster("arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/prod"),
                        td(WEB, ",\"taskRoleArn\":\"arn:aws:iam::999999999999:role/admin\""))));
        a.add(c("task definition file with roles of two accounts", TDJ + ".executionRoleArn",
                "arn:aws:iam::999999999999:role/exec",
                b -> json(b, td(WEB, ",\"taskRoleArn\":\"" + ROLE + "\",\"executionRoleArn\":\"arn:aws:iam::999999999999:role/exec\""))));
        String twoMegabytes = "{\"family\":\"" + "x".repeat(2_000_000) + "\"}";
        a.add(c("task definition file of 2 MB", TDJ, twoMegabytes, b -> json(b, twoMegabytes)));
        String nested = "[".repeat(100) + "]".repeat(100);
        a.add(c("task definition file nested 100 levels", TDJ, nested, b -> json(b, nested)));
        a.add(c("task definition file with a family holding a shell command", TDJ + ".family", "web; rm -rf /",
                b -> json(b, "{\"family\":\"web; rm -rf /\",\"containerDefinitions\":[" + WEB + "]}")));
        a.add(c("task definition file over 64 KiB compacted", TDJ, null,
                b -> json(b, td("{\"name\":\"web\",\"image\":\"registry/web:2\",\"environment\":[{\"name\":\"BIG\",\"value\":\""
                        + "v".repeat(70 * 1024) + "\"}]}", ""))));
        a.add(c("task definition file with a taskDefinition that is not an object", TDJ + ".taskDefinition", "\"web\"",
                b -> json(b, "{\"taskDefinition\":\"web\"}")));
        // ---- strategy
        a.add(c("no strategy", "strategy", null, b -> b.strategy(null).gates(List.of())));
        a.add(c("canary percent 0", "canaryPercent", "0.0", b -> b.strategy(new Strategy.Canary(0.0, 5, 10))));
        a.add(c("canary percent 150", "canaryPercent", "150.0", b -> b.strategy(new Strategy.Canary(150.0, 5, 10))));
        a.add(c("canary percent NaN", "canaryPercent", "NaN", b -> b.strategy(new Strategy.Canary(Double.NaN, 5, 10))));
        a.add(c("canary percent 2.55", "canaryPercent", "2.55", b -> b.strategy(new Strategy.Canary(2.55, 5, 10))));
        a.add(c("canary bake -1", "canaryBakeMinutes", "-1", b -> b.strategy(new Strategy.Canary(10.0, -1, 10))));
        a.add(c("canary bake 1441", "canaryBakeMinutes", "1441", b -> b.strategy(new Strategy.Canary(10.0, 1441, 10))));
        a.add(c("linear step 2.9", "stepPercent", "2.9", b -> b.strategy(new Strategy.Linear(2.9, 1, 1))));
        a.add(c("linear step bake 99999", "stepBakeMinutes", "99999", b -> b.strategy(new Strategy.Linear(10.0, 99999, 1))));
        a.add(c("blue/green without bake", "bakeMinutes", null, b -> b.strategy(new Strategy.BlueGreen(null))));
        a.add(c("blue/green bake -5", "bakeMinutes", "-5", b -> b.strategy(new Strategy.BlueGreen(-5))));
        a.add(c("bakes adding up to more than 30 days", "strategy", null,
                b -> b.strategy(new Strategy.Linear(3.0, 1440, 1440))));
        a.add(c("bakes over 30 days while the revision is also missing (plan = deploy)", "strategy", null,
                b -> b.strategy(new Strategy.Linear(3.0, 1440, 1440)).revision(null)));
        // ---- gates
        a.add(c("gate at TEST_TRAFFIC_SHIFT", "gates[0].stage", "TEST_TRAFFIC_SHIFT",
                b -> b.gates(List.of(new Gate("TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)))));
        a.add(c("gate at an unknown stage", "gates[0].stage", "NOT_A_STAGE",
                b -> b.gates(List.of(new Gate("NOT_A_STAGE", 60, HookAction.ROLLBACK)))));
        a.add(c("gate stage with ESC", "gates[0].stage", "POST_TEST_TRAFFIC_SHIFT" + ESC,
                b -> b.gates(List.of(new Gate("POST_TEST_TRAFFIC_SHIFT" + ESC, 60, HookAction.ROLLBACK)))));
        a.add(c("gate timeout 0", "gates[0].timeoutMinutes", "0",
                b -> b.gates(List.of(new Gate("POST_TEST_TRAFFIC_SHIFT", 0, HookAction.ROLLBACK)))));
        a.add(c("gate timeout 20161", "gates[0].timeoutMinutes", "20161",
                b -> b.gates(List.of(new Gate("POST_TEST_TRAFFIC_SHIFT", 20161, HookAction.ROLLBACK)))));
        a.add(c("the same gate stage twice", "gates[1].stage", "POST_TEST_TRAFFIC_SHIFT",
                b -> b.gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK))));
        a.add(c("eleven gates", "gates", "11", b -> {
            List<Gate> g = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                g.add(new Gate("PRE_SCALE_UP", 60, HookAction.ROLLBACK));
            }
            return b.gates(g);
        }));
        // ---- Lambda hooks
        a.add(c("hook function that is not an ARN", "hooks[0].functionArn", "smoke",
                b -> b.hook(hook("smoke", ROLE, List.of("POST_SCALE_UP"), null, null))));
        a.add(c("hook function that is a role ARN", "hooks[0].functionArn", ROLE,
                b -> b.hook(hook(ROLE, ROLE, List.of("POST_SCALE_UP"), null, null))));
        a.add(c("hook role that is a function ARN", "hooks[0].roleArn", FN,
                b -> b.hook(hook(FN, FN, List.of("POST_SCALE_UP"), null, null))));
        a.add(c("hook without a stage", "hooks[0].stages", "", b -> b.hook(hook(FN, ROLE, List.of(), null, null))));
        a.add(c("hook at an unknown stage", "hooks[0].stages", "BAKE_TIME", b -> b.hook(hook(FN, ROLE, List.of("BAKE_TIME"), null, null))));
        a.add(c("hook details that are an array", "hooks[0].hookDetails", "[1]",
                b -> b.hook(hook(FN, ROLE, List.of("POST_SCALE_UP"), "[1]", null))));
        a.add(c("hook details that are not JSON", "hooks[0].hookDetails", "{bad",
                b -> b.hook(hook(FN, ROLE, List.of("POST_SCALE_UP"), "{bad", null))));
        a.add(c("hook timeout 0", "hooks[0].timeoutMinutes", "0", b -> b.hook(hook(FN, ROLE, List.of("POST_SCALE_UP"), null, 0))));
        // ---- alarms, counts, allowed accounts
        a.add(c("alarms without names", "alarms.names", "", b -> b.alarms(new Alarms(List.of(), true))));
        a.add(c("empty alarm name", "alarms.names", "", b -> b.alarms(new Alarms(List.of(""), true))));
        a.add(c("alarm name of 300 characters", "alarms.names", "a".repeat(300), b -> b.alarms(new Alarms(List.of("a".repeat(300)), true))));
        a.add(c("the same alarm twice", "alarms.names", "web-5xx", b -> b.alarms(new Alarms(List.of("web-5xx", "web-5xx"), true))));
        a.add(c("negative desired count", "desiredCount", "-1", b -> b.desiredCount(-1)));
        a.add(c("allowed role account that is not an account", "allowedRoleAccounts[0]", "12345",
                b -> b.allowedRoleAccounts(List.of("12345"))));
        a.add(c("allowed role account that is null", "allowedRoleAccounts[0]", "", b -> b.allowedRoleAccounts(Collections.singletonList(null))));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneSafeLineBeforeAnyRequest(String name, String field, String value, DeploymentRequest r) {
        int before = endpoint.requests().size(); // each case on its own: an earlier failure does not fail this one
        InvalidRequestException fromPlan = assertThrows(InvalidRequestException.class, () -> engine.plan(r));
        InvalidRequestException fromStart = refused(engine.start(r));
        InvalidRequestException fromPreflight = refused(engine.preflight(r));
        assertEquals(fromStart.problems(), fromPlan.problems(), "plan and deploy apply the same rules");
        assertEquals(fromStart.problems(), fromPreflight.problems());
        assertProblemLine(fromStart.problems(), field, value);
        assertEquals(List.of(), endpoint.requests().subList(before, endpoint.requests().size()), "no request left the process");
        REFUSED.add(name);
    }

    static InvalidRequestException refused(java.util.concurrent.CompletableFuture<?> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException x) {
            assertTrue(x.getCause() instanceof InvalidRequestException, String.valueOf(x.getCause()));
            return (InvalidRequestException) x.getCause();
        } catch (Exception x) {
            throw new AssertionError("not refused at once: " + x, x);
        }
        throw new AssertionError("accepted: " + f.join());
    }

    /**
     * One line naming {@code field}, with {@code value} shortened and sanitised, then what is allowed; every line
     * safe for a terminal. When {@code value} is null the value is not checked (e.g. a computed one).
     */
    static void assertProblemLine(List<ValidationProblem> problems, String field, String value) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (ValidationProblem p : problems) {
            String m = p.message();
            assertTrue(m.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)), "control character in " + m);
            assertTrue(!SafeText.hasUnsafeCharacters(m), "invisible character in " + m);
            assertTrue(m.length() <= 1500, "too long (" + m.length() + "): " + m);
            lines.put(m, p.field());
        }
        // The one template (ValidationProblem#message): "field 'value': allowed", or "field: allowed" when nothing was given.
        String f = SafeText.line(field, 200);
        String prefix = value == null ? f + " '" : value.isEmpty() ? f + ": " : f + " '" + SafeText.value(value) + "': ";
        boolean found = lines.keySet().stream().anyMatch(m -> m.startsWith(prefix) || (value == null && m.startsWith(f + ": ")));
        assertTrue(found, "expected a line starting with [" + prefix + "] among " + lines.keySet());
    }
}
