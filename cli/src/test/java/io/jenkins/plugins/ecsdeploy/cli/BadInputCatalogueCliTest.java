package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.simulator.RecordingEndpoint;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI's part of the bad-input catalogue (docs/reliability.md "Bad input"): command lines a user, a script or an
 * attacker controlling a CI variable could pass. Each must end with exit 2 and a stderr line naming the flag, the value
 * shortened and sanitised, and what is allowed; every line safe for a terminal; and no request may reach the endpoint
 * (a {@link RecordingEndpoint} the command line points at).
 */
class BadInputCatalogueCliTest {
    static RecordingEndpoint endpoint;
    static Path dir;
    static ServerSocket busy;
    static final List<String> REFUSED = Collections.synchronizedList(new ArrayList<>());
    static final String ESC = "\u001b";
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/AbCdEf0123456789ghijkl";

    @BeforeAll
    static void start() throws Exception {
        endpoint = RecordingEndpoint.start();
        dir = Files.createTempDirectory("ecsd-bad-input-");
        busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void stop() throws Exception {
        endpoint.close();
        busy.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println("[reliability] bad inputs refused before any request (CLI): " + REFUSED.size());
        assertTrue(REFUSED.size() >= 60, "the CLI catalogue holds " + REFUSED.size() + " cases");
    }

    static Path file(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path bytes(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** deploy with every required flag valid, then {@code extra} (a later flag of the same name wins or adds). */
    static List<String> deploy(String... extra) {
        List<String> a = new ArrayList<>(List.of("deploy", "--endpoint", endpoint.endpoint().toString(), "--region", "us-east-1",
                "--service", "web", "--strategy", "canary"));
        List<String> x = List.of(extra);
        if (!x.contains("--task-definition") && !x.contains("--task-definition-file") && !x.contains("--image")) {
            a.addAll(List.of("--image", "web=registry/web:1.4.2"));
        }
        a.addAll(x);
        return a;
    }

    /** {@code deploy} with the last occurrence of {@code flag} replaced by {@code value}. */
    static List<String> deployWith(String flag, String value, String... extra) {
        List<String> a = deploy(extra);
        int i = a.lastIndexOf(flag);
        if (i >= 0) {
            a.set(i + 1, value);
        } else {
            a.addAll(List.of(flag, value));
        }
        return a;
    }

    static List<String> arnCommand(String command, String... extra) {
        List<String> a = new ArrayList<>(List.of(command, ARN, "--endpoint", endpoint.endpoint().toString()));
        a.addAll(List.of(extra));
        return a;
    }

    static Arguments c(String name, String flag, String value, List<String> args) {
        return Arguments.of(name, flag, value, args);
    }

    static String td(String extra) {
        return "{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"registry/web:2\"}]" + extra + "}";
    }

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> a = new ArrayList<>();
        String endpointUrl = endpoint.endpoint().toString();
        // ---- where and who
        a.add(c("empty --region is not silently replaced by the environment", "--region", "", deployWith("--region", "")));
        a.add(c("upper-case --region", "--region", "US-EAST-1", deployWith("--region", "US-EAST-1")));
        a.add(c("--region with a newline", "--region", "us-east-1\n", deployWith("--region", "us-east-1\n")));
        a.add(c("--role-arn of Lambda", "--role-arn", "arn:aws:lambda:us-east-1:123456789012:function:x",
                deploy("--role-arn", "arn:aws:lambda:us-east-1:123456789012:function:x")));
        a.add(c("empty --role-arn", "--role-arn", "", deploy("--role-arn", "")));
        a.add(c("--external-id without --role-arn", "--external-id", "abc", deploy("--external-id", "abc")));
        a.add(c("--external-id with a control character", "--external-id", "ab\u0007c",
                deploy("--role-arn", "arn:aws:iam::123456789012:role/deployer", "--external-id", "ab\u0007c")));
        a.add(c("empty --profile", "--profile", "", deploy("--profile", "")));
        a.add(c("--endpoint that is not http", "--endpoint", "ftp://127.0.0.1/", deployWith("--endpoint", "ftp://127.0.0.1/")));
        a.add(c("--poll-seconds 0", "--poll-seconds", "0.0", deploy("--poll-seconds", "0")));
        a.add(c("--poll-max-seconds below --poll-seconds", "--poll-max-seconds", "1.0",
                deploy("--poll-seconds", "5", "--poll-max-seconds", "1")));
        // ---- cluster and service
        a.add(c("empty --cluster is not the default cluster", "--cluster", "", deploy("--cluster", "")));
        a.add(c("--cluster with a space", "--cluster", "prod cluster", deploy("--cluster", "prod cluster")));
        a.add(c("--cluster with an escape sequence", "--cluster", "prod" + ESC + "[2J", deploy("--cluster", "prod" + ESC + "[2J")));
        a.add(c("--cluster ARN of another region", "--cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
                deploy("--cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod")));
        a.add(c("empty --service", "--service", "", deployWith("--service", "")));
        a.add(c("--service with CR LF", "--service", "web\r\nApproved by admin", deployWith("--service", "web\r\nApproved by admin")));
        a.add(c("--service with markup", "--service", "<script>alert(1)</script>", deployWith("--service", "<script>alert(1)</script>")));
        a.add(c("--service ARN of another region", "--service", "arn:aws:ecs:eu-west-1:123456789012:service/prod/web",
                deployWith("--service", "arn:aws:ecs:eu-west-1:123456789012:service/prod/web", "--cluster", "prod")));
        a.add(c("--service ARN of another cluster", "--service", "arn:aws:ecs:us-east-1:123456789012:service/other/web",
                deployWith("--service", "arn:aws:ecs:us-east-1:123456789012:service/other/web", "--cluster", "prod")));
        // ---- images
        a.add(c("--image without '='", "--image", "web", deployWith("--image", "web")));
        a.add(c("--image without an image", "--image", "web=", deployWith("--image", "web=")));
        a.add(c("--image without a container", "--image", "=nginx", deployWith("--image", "=nginx")));
        a.add(c("--image with ESC", "--image", "registry/web:1" + ESC + "[31m", deployWith("--image", "web=registry/web:1" + ESC + "[31m")));
        a.add(c("--image with a trailing ESC that trim() used to drop", "--image", "nginx" + ESC, deployWith("--image", "web=nginx" + ESC)));
        a.add(c("--image with a space", "--image", "nginx 1", deployWith("--image", "web=nginx 1")));
        a.add(c("--image with markup", "--image", "<img src=x onerror=alert(1)>", deployWith("--image", "web=<img src=x onerror=alert(1)>")));
        a.add(c("--image of 100 kB", "--image", "w".repeat(100_000), deployWith("--image", "web=" + "w".repeat(100_000))));
        a.add(c("--image with a zero-width space", "--image", "ngi\u200bnx", deployWith("--image", "web=ngi\u200bnx")));
        a.add(c("--image with a command substitution", "--image", "registry/web:$(id)", deployWith("--image", "web=registry/web:$(id)")));
        a.add(c("--image for the same container twice", "--image", "web=registry/web:2",
                deploy("--image", "web=registry/web:2", "--image", "web=registry/web:2")));
        a.add(c("--image and --task-definition together", "--image/--task-definition/--task-definition-file", null,
                deploy("--image", "web=registry/web:2", "--task-definition", "web:3")));
        a.add(c("--task-definition without revision", "--task-definition", "web", deploy("--task-definition", "web")));
        // ---- task definition files
        a.add(c("--task-definition-file /dev/zero", "--task-definition-file", "/dev/zero", deploy("--task-definition-file", "/dev/zero")));
        a.add(c("--task-definition-file that does not exist", "--task-definition-file", "/nonexistent/td.json",
                deploy("--task-definition-file", "/nonexistent/td.json")));
        a.add(c("--task-definition-file that is a directory", "--task-definition-file", dir.toString(),
                deploy("--task-definition-file", dir.toString())));
        Path huge = bytes("huge.json", new byte[2 * 1024 * 1024]);
        a.add(c("--task-definition-file of 2 MiB", "--task-definition-file", huge.toString(), deploy("--task-definition-file", huge.toString())));
        Path notJson = file("not.json", "family: web\n");
        a.add(c("--task-definition-file that is not JSON", "--task-definition-file", "family: web\n",
                deploy("--task-definition-file", notJson.toString())));
        Path array = file("array.json", "[]");
        a.add(c("--task-definition-file that is an array", "--task-definition-file", "[]", deploy("--task-definition-file", array.toString())));
        Path foreign = file("foreign.json", td(",\"taskRoleArn\":\"arn:aws:iam::999999999999:role/admin\""));
        a.add(c("--task-definition-file with a role of another account", "--task-definition-file taskRoleArn",
                "arn:aws:iam::999999999999:role/admin",
                deploy("--task-definition-file", foreign.toString(), "--cluster", "arn:aws:ecs:us-east-1:123456789012:cluster/prod")));
        Path lambdaRole = file("lambda-role.json", td(",\"taskRoleArn\":\"arn:aws:lambda:us-east-1:123456789012:function:x\""));
        a.add(c("--task-definition-file whose task role is a Lambda ARN", "--task-definition-file taskRoleArn",
                "arn:aws:lambda:us-east-1:123456789012:function:x", deploy("--task-definition-file", lambdaRole.toString())));
        Path typo = file("typo.json", td(",\"cpus\":\"256\""));
        a.add(c("--task-definition-file with a misspelt member", "--task-definition-file cpus", "\"256\"",
                deploy("--task-definition-file", typo.toString())));
        Path binary = bytes("binary.json", new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
        a.add(c("--task-definition-file that is not UTF-8", "--task-definition-file", binary.toString(),
                deploy("--task-definition-file", binary.toString())));
        Path escImage = file("esc.json", "{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"web\\u001b[2J\"}]}");
        a.add(c("--task-definition-file with an escape in an image", "--task-definition-file containerDefinitions[0].image",
                "web" + ESC + "[2J", deploy("--task-definition-file", escImage.toString())));
        a.add(c("--allow-role-account that is not an account", "--allow-role-account", "12345", deploy("--allow-role-account", "12345")));
        // ---- strategy
        a.add(c("unknown --strategy", "--strategy", "zigzag", deployWith("--strategy", "zigzag")));
        a.add(c("empty --strategy", "--strategy", "", deployWith("--strategy", "")));
        a.add(c("--strategy with a trailing escape", "--strategy", "canary" + ESC, deployWith("--strategy", "canary" + ESC)));
        a.add(c("--canary-percent ten", "--canary-percent", "ten", deploy("--canary-percent", "ten")));
        a.add(c("--canary-bake-minutes with a trailing escape", "--canary-bake-minutes", "5" + ESC, deploy("--canary-bake-minutes", "5" + ESC)));
        a.add(c("--canary-percent 150", "--canary-percent", "150.0", deploy("--canary-percent", "150")));
        a.add(c("--canary-percent NaN", "--canary-percent", "NaN", deploy("--canary-percent", "NaN")));
        a.add(c("--canary-bake-minutes -1", "--canary-bake-minutes", "-1", deploy("--canary-bake-minutes", "-1")));
        a.add(c("--bake-minutes 99999", "--bake-minutes", "99999", deploy("--bake-minutes", "99999")));
        a.add(c("--step-percent 2", "--step-percent", "2.0", deployWith("--strategy", "linear", "--step-percent", "2")));
        a.add(c("--minimum-healthy-percent with canary", "--minimum-healthy-percent", "50", deploy("--minimum-healthy-percent", "50")));
        // ---- gates, hooks, alarms, counts
        a.add(c("--approve-at TEST_TRAFFIC_SHIFT", "--approve-at", "TEST_TRAFFIC_SHIFT", deploy("--approve-at", "TEST_TRAFFIC_SHIFT")));
        a.add(c("--approve-at with ESC", "--approve-at", "POST_SCALE_UP" + ESC, deploy("--approve-at", "POST_SCALE_UP" + ESC)));
        a.add(c("--gate-timeout-minutes 0", "--gate-timeout-minutes", "0", deploy("--approve-at", "POST_SCALE_UP", "--gate-timeout-minutes", "0")));
        a.add(c("--gate-timeout-action MAYBE", "--gate-timeout-action", "MAYBE", deploy("--gate-timeout-action", "MAYBE")));
        a.add(c("--hook that is not an ARN", "--hook", "smoke:POST_SCALE_UP", deploy("--hook", "smoke:POST_SCALE_UP")));
        a.add(c("--hook at an unknown stage", "--hook", "arn:aws:lambda:us-east-1:123456789012:function:smoke:BAKE_TIME",
                deploy("--hook", "arn:aws:lambda:us-east-1:123456789012:function:smoke:BAKE_TIME",
                        "--hook-role-arn", "arn:aws:iam::123456789012:role/hooks")));
        a.add(c("--hook-role-arn of Lambda", "--hook-role-arn", "arn:aws:lambda:us-east-1:123456789012:function:x",
                deploy("--hook", "arn:aws:lambda:us-east-1:123456789012:function:smoke:POST_SCALE_UP",
                        "--hook-role-arn", "arn:aws:lambda:us-east-1:123456789012:function:x")));
        a.add(c("empty --alarm", "--alarm", "", deploy("--alarm", "")));
        a.add(c("--desired-count -1", "--desired-count", "-1", deploy("--desired-count", "-1")));
        // ---- the page
        a.add(c("--serve-page 70000", "--serve-page", "70000", deploy("--serve-page=70000")));
        a.add(c("--serve-page on a busy port", "--serve-page", String.valueOf(busy.getLocalPort()),
                deploy("--serve-page=" + busy.getLocalPort())));
        a.add(c("--page-token without --serve-page", "--page-token", "", deploy("--page-token")));
        a.add(c("empty --user", "--user", "", deploy("--user", "")));
        a.add(c("--user with CR LF", "--user", "bob\r\nalice", deploy("--user", "bob\r\nalice")));
        // ---- plan applies deploy's rules
        a.add(c("plan: bakes over 30 days without a revision", "--strategy", null, List.of("plan", "--strategy", "linear",
                "--step-percent", "3", "--step-bake-minutes", "1440", "--bake-minutes", "1440")));
        a.add(c("plan: an image with ESC", "--image", "nginx" + ESC, List.of("plan", "--service", "web", "--image", "web=nginx" + ESC)));
        a.add(c("plan: --task-definition-file /dev/zero", "--task-definition-file", "/dev/zero",
                List.of("plan", "--service", "web", "--task-definition-file", "/dev/zero")));
        // ---- status, approve, rollback
        a.add(c("status: not an ARN", "ARN", "not-an-arn", List.of("status", "not-an-arn", "--endpoint", endpointUrl)));
        a.add(c("approve: ARN with an escape", "ARN", ARN + ESC, List.of("approve", ARN + ESC, "--endpoint", endpointUrl)));
        a.add(c("approve: empty --user", "--user", "", arnCommand("approve", "--user", "")));
        a.add(c("approve: --hook-id with ESC", "--hook-id", "h" + ESC, arnCommand("approve", "--hook-id", "h" + ESC)));
        a.add(c("approve: --comment of 3000 characters", "--comment", "c".repeat(3000), arnCommand("approve", "--comment", "c".repeat(3000))));
        a.add(c("rollback: --sandbox", "--sandbox", "", arnCommand("rollback", "--sandbox")));
        a.add(c("rollback: empty --region", "--region", "", arnCommand("rollback", "--region", "")));
        a.add(c("an unknown flag carrying an escape sequence", "--colour" + ESC + "[2J", "--colour" + ESC + "[2J",
                deploy("--colour" + ESC + "[2J")));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithExit2AndOneSafeLineBeforeAnyRequest(String name, String flag, String value, List<String> args) {
        int before = endpoint.requests().size(); // each case on its own: an earlier failure does not fail this one
        CliRun r = CliRun.run(java.util.Map.of("AWS_REGION", "eu-west-1"), args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        for (String l : r.errLines()) {
            assertTrue(l.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)), "control character: " + l);
            assertTrue(!SafeText.hasUnsafeCharacters(l), "invisible character: " + l);
            assertTrue(l.length() <= 1500, "too long: " + l.length());
        }
        // the one template (ValidationProblem.message): the value in quotes unless none was given; null = any value
        boolean given = value != null && !value.isEmpty() && !value.equals(flag);
        String prefix = SafeText.line(flag, 200) + (given ? " '" + SafeText.value(value) + "'" : "") + ": ";
        assertTrue(r.errLines().stream().anyMatch(l -> value == null ? l.startsWith(SafeText.line(flag, 200)) : l.startsWith(prefix)),
                "expected a line starting with [" + prefix + "]\n" + r);
        assertEquals(List.of(), endpoint.requests().subList(before, endpoint.requests().size()), "no request left the process");
        REFUSED.add(name);
    }
}
