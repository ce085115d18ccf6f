package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeJob;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeRun;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import io.jenkins.plugins.ecsdeploy.simulator.RecordingEndpoint;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The Pipeline steps' and the freestyle step's part of the bad-input catalogue (docs/reliability.md "Bad input"):
 * arguments a Jenkinsfile (or a job parameter flowing into one) could pass. Each must fail the step or the build with
 * one line naming the step, the parameter, the value shortened and sanitised, and what is allowed — and no request may
 * reach AWS: the plugin's engines point at a {@link RecordingEndpoint}.
 */
class BadInputCatalogueTest {
    static RecordingEndpoint endpoint;
    static final List<String> REFUSED = Collections.synchronizedList(new ArrayList<>());
    static final String ESC = "\u001b";
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
    static final String ROLE = "arn:aws:iam::123456789012:role/ecs-hooks";

    StepRunner runner;

    @BeforeAll
    static void startEndpoint() {
        endpoint = RecordingEndpoint.start();
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.close();
        System.out.println("[reliability] bad inputs refused before any request (Pipeline + freestyle): " + REFUSED.size());
        assertTrue(REFUSED.size() >= 40, "the Pipeline/freestyle catalogue holds " + REFUSED.size() + " cases");
    }

    @BeforeEach
    void setUp() {
        StandInJenkins.reset();
        StandInJenkins.install();
        EngineRegistry.useForTests(new SystemScheduler(), endpoint.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-not-printed")));
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        EngineRegistry.useForTests(new SystemScheduler(), null, null);
        StandInJenkins.reset();
    }

    static Map<String, Object> base(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "prod");
        m.put("service", "web");
        m.put("region", "us-east-1");
        m.put("image", "web=registry/web:2");
        m.put("bakeMinutes", 0);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static Arguments c(String name, Class<? extends DeployStepBase> step, String field, String value, Map<String, Object> args) {
        return Arguments.of(name, step, field, value, args);
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        Class<EcsBlueGreenStep> bg = EcsBlueGreenStep.class;
        Class<EcsCanaryStep> canary = EcsCanaryStep.class;
        Class<EcsLinearStep> linear = EcsLinearStep.class;
        Class<EcsRollingStep> rolling = EcsRollingStep.class;
        // where
        a.add(c("upper-case region", bg, "region", "US-EAST-1", base("region", "US-EAST-1")));
        a.add(c("region with a newline", bg, "region", "us-east-1\nx", base("region", "us-east-1\nx")));
        a.add(c("cluster with a space", bg, "cluster", "prod cluster", base("cluster", "prod cluster")));
        a.add(c("cluster with an escape sequence", bg, "cluster", "prod" + ESC + "[2J", base("cluster", "prod" + ESC + "[2J")));
        a.add(c("cluster ARN of another region", bg, "cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
                base("cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod")));
        a.add(c("service with CR LF", bg, "service", "web\r\nApproved by admin", base("service", "web\r\nApproved by admin")));
        a.add(c("service with markup", bg, "service", "<script>alert(1)</script>", base("service", "<script>alert(1)</script>")));
        a.add(c("service ARN of another cluster", bg, "service", "arn:aws:ecs:us-east-1:123456789012:service/other/web",
                base("service", "arn:aws:ecs:us-east-1:123456789012:service/other/web")));
        a.add(c("service ARN of Lambda", bg, "service", FN, base("service", FN)));
        a.add(c("roleArn of Lambda", bg, "roleArn", FN, base("roleArn", FN)));
        // images
        a.add(c("image without '='", bg, "image", "web", base("image", "web")));
        a.add(c("image with ESC", bg, "image", "registry/web:2" + ESC + "[31m", base("image", "web=registry/web:2" + ESC + "[31m")));
        a.add(c("image with a zero-width space", bg, "image", "regi\u200bstry/web:2", base("image", "web=regi\u200bstry/web:2")));
        a.add(c("image with a right-to-left override", bg, "image", "registry/web:2\u202e1", base("image", "web=registry/web:2\u202e1")));
        a.add(c("image with markup", bg, "image", "<img src=x onerror=alert(1)>", base("image", "web=<img src=x onerror=alert(1)>")));
        a.add(c("image of 100 kB", bg, "image", "w".repeat(100_000), base("image", "web=" + "w".repeat(100_000))));
        a.add(c("image with a command substitution", bg, "image", "registry/web:$(id)", base("image", "web=registry/web:$(id)")));
        a.add(c("image with a shell separator", canary, "image", "registry/web:2;rm -rf /", base("image", "web=registry/web:2;rm -rf /")));
        a.add(c("image list with a bad entry", linear, "image", "registry/api:1 2",
                base("image", List.of("web=registry/web:2", "api=registry/api:1 2"))));
        a.add(c("taskDefinition without revision", bg, "taskDefinition", "web", base("image", null, "taskDefinition", "web")));
        a.add(c("taskDefinition ARN of another region", bg, "taskDefinition",
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
                base("image", null, "taskDefinition", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3")));
        // strategies
        a.add(c("canaryPercent 150", canary, "canaryPercent", "150.0", base("canaryPercent", 150)));
        a.add(c("canaryPercent 2.55", canary, "canaryPercent", "2.55", base("canaryPercent", 2.55)));
        a.add(c("canaryBakeMinutes -1", canary, "canaryBakeMinutes", "-1", base("canaryBakeMinutes", -1)));
        a.add(c("stepPercent 2", linear, "stepPercent", "2.0", base("stepPercent", 2)));
        a.add(c("stepBakeMinutes 99999", linear, "stepBakeMinutes", "99999", base("stepBakeMinutes", 99999)));
        a.add(c("bakeMinutes 1441", bg, "bakeMinutes", "1441", base("bakeMinutes", 1441)));
        a.add(c("bakes over 30 days", linear, "strategy", null, base("stepPercent", 3, "stepBakeMinutes", 1440, "bakeMinutes", 1440)));
        a.add(c("minimumHealthyPercent 101", rolling, "minimumHealthyPercent", "101", base("bakeMinutes", null, "minimumHealthyPercent", 101)));
        // gates and hooks
        a.add(c("approvalStage TEST_TRAFFIC_SHIFT", bg, "approvalStage", "TEST_TRAFFIC_SHIFT",
                base("approval", true, "approvalStage", "TEST_TRAFFIC_SHIFT")));
        a.add(c("approvalTimeout 0", bg, "approvalTimeout", "0", base("approval", true, "approvalTimeout", 0)));
        a.add(c("waitUntil SOON", bg, "waitUntil", "SOON", base("waitUntil", "SOON")));
        a.add(c("hook function that is a role ARN", canary, "hooks", ROLE,
                base("hooks", List.of(Map.of("functionArn", ROLE, "roleArn", ROLE, "stages", List.of("POST_SCALE_UP"))))));
        a.add(c("hook role that is a function ARN", canary, "hooks", FN,
                base("hooks", List.of(Map.of("functionArn", FN, "roleArn", FN, "stages", List.of("POST_SCALE_UP"))))));
        a.add(c("hook at an unknown stage", canary, "hooks", "BAKE_TIME",
                base("hooks", List.of(Map.of("functionArn", FN, "roleArn", ROLE, "stages", List.of("BAKE_TIME"))))));
        // Once repaired silently (issue 10): a trailing control character was trimmed away, an empty alarm dropped.
        a.add(c("image ending in BEL", bg, "image", "registry/web:2\u0007", base("image", "web=registry/web:2\u0007")));
        a.add(c("image ending in ESC", canary, "image", "registry/web:2" + ESC, base("image", "web=registry/web:2" + ESC)));
        a.add(c("an empty alarm name in a list", bg, "alarms", "", base("alarms", List.of("web-5xx", ""))));
        a.add(c("the same alarm twice", bg, "alarms", "web-5xx", base("alarms", List.of("web-5xx", "web-5xx"))));
        a.add(c("alarm name of 300 characters", bg, "alarms", "a".repeat(300), base("alarms", List.of("a".repeat(300)))));
        a.add(c("desiredCount -1", bg, "desiredCount", "-1", base("desiredCount", -1)));
        a.add(c("onAbort sometimes", bg, "onAbort", "SOMETIMES", base("onAbort", "sometimes")));
        return a.stream();
    }

    /**
     * The refusal names the step, then one line per problem, {@code <field...>: '<value shortened and sanitised>' is not
     * allowed; <allowed>} ({@code <step>: <problem>} when there is one, {@code <step>:} and indented problem lines when
     * there are several). The plugin may qualify the field (e.g. {@code hooks[0].roleArn}); it starts with the
     * parameter's name. Every line is safe for the console.
     */
    static void assertRefusal(String message, String step, String field, String value) {
        assertTrue(message.startsWith(step + ":"), "names the step: " + message);
        List<String> lines = new ArrayList<>();
        for (String l : message.split("\n")) {
            assertTrue(l.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)), "control character: " + l);
            assertTrue(!SafeText.hasUnsafeCharacters(l), "invisible character: " + l);
            assertTrue(l.length() <= 1500, "too long: " + l.length());
            String problem = l.startsWith(step + ": ") ? l.substring(step.length() + 2) : l.strip();
            lines.add(problem);
        }
        // the one template (ValidationProblem#message): "field 'value': allowed", or "field: allowed" when nothing was given
        String shown = value == null ? null : value.isEmpty() ? ": " : " '" + SafeText.value(value) + "': ";
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(field) && (shown == null ? l.contains("': ") : l.contains(shown))),
                "a line naming [" + field + "] with [" + shown + "]: " + message);
    }

    @ParameterizedTest(name = "pipeline: {0}")
    @MethodSource("cases")
    void aPipelineStepRefusesBeforeAnyRequest(String name, Class<? extends DeployStepBase> step, String field, String value,
                                              Map<String, Object> args) throws Exception {
        int before = endpoint.requests().size();
        FakeStepContext ctx = runner.start(step, args);
        Throwable t = ctx.awaitDone(Duration.ofSeconds(20)).failure();
        assertInstanceOf(AbortException.class, t, String.valueOf(t) + "\n" + ctx.log());
        assertRefusal(t.getMessage(), StepRunner.descriptorOf(step).getFunctionName(), field, value);
        assertEquals(List.of(), endpoint.requests().subList(before, endpoint.requests().size()), "no request left the process");
        REFUSED.add("pipeline: " + name);
    }

    @ParameterizedTest(name = "freestyle: {0}")
    @MethodSource("cases")
    void theFreestyleStepFailsTheBuildBeforeAnyRequest(String name, Class<? extends DeployStepBase> step, String field,
                                                       String value, Map<String, Object> args) throws Exception {
        int before = endpoint.requests().size();
        DeployStepBase s = PipelineBinder.strict().instantiate(step, args);
        EcsDeployBuilder b = new EcsDeployBuilder(s);
        FakeRun run = new FakeRun(new FakeJob("freestyle"), 1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AbortException e = assertThrows(AbortException.class, () -> b.perform(run, new EnvVars(), new StreamTaskListener(log)));
        assertRefusal(e.getMessage(), StepRunner.descriptorOf(step).getFunctionName(), field, value);
        assertEquals(List.of(), endpoint.requests().subList(before, endpoint.requests().size()), "no request left the process");
        REFUSED.add("freestyle: " + name);
    }
}
