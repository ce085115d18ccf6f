package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.simulator.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/** {@code ecs-deploy cutover} (docs/cli.md "cutover", docs/cutovers.md) and deploy's switchover flags. */
class CutoverCommandTest {
    static final String[] PLAN = {"cutover", "--plan", "--hosted-zone-id", "Z0123456789ABCDEFGHIJ", "--record", "api.example.com",
            "--blue-service", "prod-ec2/api", "--green-service", "prod-fargate/api", "--approve-between-steps",
            "--health-check-path", "/health"};

    @Test
    void thePlanShowsTheStepsTheWaitsAndTheTtlBoundDurationWithoutAws() {
        CliRun r = CliRun.run(PLAN);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Strategy: DNS_CUTOVER (Route 53 weighted records)\n"), r.out());
        assertTrue(r.out().contains("  step 2: green 50% / blue 50% (health check of green first), wait for Route 53 INSYNC, then 1 min"), r.out());
        assertTrue(r.out().contains("Minimum duration: 3 min (3 waits of at least one TTL"), r.out());
    }

    @Test
    void badFlagsAreRefusedNamingTheFlagBeforeAnyAwsCall() {
        CliRun r = CliRun.run("cutover", "--hosted-zone-id", "Z1", "--record", "api.example.com", "--blue-value", "192.0.2.1",
                "--green-value", "green.example.com", "--steps", "50,10", "--region", "eu-west-1");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--steps '[50, 10]': increasing percentages"), r.err());
        assertTrue(r.err().contains("--green-value 'green.example.com': a value of the record's type A"), r.err());
        CliRun none = CliRun.run("cutover", "--hosted-zone-id", "Z1", "--record", "api.example.com", "--green-value", "192.0.2.2", "--plan");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("--blue-service: exactly one of --blue-service, --blue-alias"), none.err());
        CliRun sandbox = CliRun.run("cutover", "--sandbox", "--hosted-zone-id", "Z1", "--record", "a.example.com", "--blue-value",
                "192.0.2.1", "--green-value", "192.0.2.2");
        assertEquals(2, sandbox.exitCode());
        assertTrue(sandbox.err().contains("--sandbox: not with cutover"), sandbox.err());
    }

    @Test
    void aCutoverAgainstMotoRolledBackAtItsGateFromTheTerminalPutsTheWeightsBack() throws Exception {
        try (MotoServer moto = MotoServer.start()) {
            Route53Client r53 = Route53Client.builder().endpointOverride(moto.endpoint).region(Region.AWS_GLOBAL)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
            String zone = r53.createHostedZone(b -> b.name("example.com").callerReference("cli")).hostedZone().id().replace("/hostedzone/", "");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Cli cli = new Cli(new PrintWriter(out, true), new PrintWriter(err, true), false, Map.of(), 120, "tester",
                    new ByteArrayInputStream("rollback error rate doubled\n".getBytes(StandardCharsets.UTF_8)), url -> { });
            int code = Main.run(new String[] {"cutover", "--endpoint", moto.endpoint.toString(), "--region", "us-east-1",
                    "--hosted-zone-id", zone, "--record", "api.example.com", "--blue-value", "192.0.2.1", "--green-value", "192.0.2.2",
                    "--blue-set-identifier", "blue", "--green-set-identifier", "green", "--ttl", "0", "--steps", "25,100",
                    "--approve-between-steps", "--decide-on-stdin", "--no-health-check", "--change-poll-seconds", "1"}, cli);
            assertEquals(3, code, out + "\n" + err);
            String o = out.toString();
            assertTrue(o.contains("step 1: weights blue 75 / green 25 requested"), o);
            assertTrue(o.contains("Gate after step 1 (green 25 %)"), o);
            assertTrue(o.contains("ROLLBACK by tester"), o);
            assertTrue(o.contains("Rolled back because a gate was rejected: gate after step 1 (25 %) rejected by tester: error rate doubled;"
                    + " weights back to blue 100 / green 0"), o);
            List<Long> weights = new ArrayList<>();
            r53.listResourceRecordSets(b -> b.hostedZoneId(zone)).resourceRecordSets().stream()
                    .filter(x -> "blue".equals(x.setIdentifier()) || "green".equals(x.setIdentifier()))
                    .sorted((a, b) -> a.setIdentifier().compareTo(b.setIdentifier())).forEach(x -> weights.add(x.weight()));
            assertEquals(List.of(100L, 0L), weights, "read back from Route 53: blue 100, green 0");
            r53.close();
        }
    }

    @Test
    void deployFlipsTheSwitchoverFlagAtItsStageInTheSandbox() {
        CliRun r = CliRun.run("deploy", "--sandbox", "--sandbox-speed", "400", "--cluster", "demo", "--service", "web",
                "--image", "web=public.ecr.aws/nginx/nginx:1.28", "--strategy", "blue-green", "--bake-minutes", "1",
                "--switchover-parameter", "/app/web/active-revision", "--switchover-stage", "POST_SCALE_UP",
                "--switchover-timeout-minutes", "20160", "--plain");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("switchover: /app/web/active-revision set to 'web:2'"), r.out());
        CliRun bad = CliRun.run("deploy", "--sandbox", "--cluster", "demo", "--service", "web", "--image", "web=a:1",
                "--strategy", "rolling", "--switchover-parameter", "/app/flag");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--switchover-parameter 'ROLLING': BLUE_GREEN, CANARY or LINEAR"), bad.err());
    }
}
