package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the approval policy on {@code approve} / {@code rollback} against a running simulator — a quorum of two
 * made by two separate commands (the partial approval kept as a tag on the service), a duplicate counted once, four eyes,
 * and a roll back by someone who may not approve (docs/approvals.md "Approval policy", docs/cli.md).
 */
class ApprovalPolicyCliTest {
    static final double SPEED = 300;
    private static EcsSimulator sim;
    private static String endpoint;

    @BeforeAll
    static void startSimulator() {
        sim = EcsSimulator.builder().clock(VirtualClock.scaled(Instant.now(), SPEED)).build().start();
        sim.seed().loadBalancedService("prod", "web", 2, LoadBalancerType.ALB);
        sim.seed().loadBalancedService("prod", "api", 2, LoadBalancerType.ALB);
        endpoint = sim.endpoint().toString();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    static CliRun cli(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args[0], "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1"));
        a.addAll(List.of(args).subList(1, args.length));
        return CliRun.run(a.toArray(new String[0]));
    }

    static String atTheGate(String service) throws Exception {
        CliRun deploy = cli("deploy", "--cluster", "prod", "--service", service, "--image", "web=public.ecr.aws/nginx/nginx:1.28",
                "--strategy", "blue-green", "--bake-minutes", "1", "--approve-at", "POST_TEST_TRAFFIC_SHIFT",
                "--wait-until", "POST_TEST_TRAFFIC_SHIFT", "--plain");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        Matcher m = Pattern.compile("Started (arn:aws:ecs:\\S+)").matcher(deploy.out());
        assertTrue(m.find(), deploy.toString());
        String arn = m.group(1);
        for (int i = 0; i < 100; i++) {
            if (cli("status", arn).out().contains("gate waiting at POST_TEST_TRAFFIC_SHIFT")) {
                return arn;
            }
        }
        throw new AssertionError("no gate waiting for " + arn);
    }

    @Test
    void aQuorumOfTwoFromTwoCommandsCountsTheSameApproverOnceAndTheStarterIsRefused() throws Exception {
        String arn = atTheGate("web");
        String[] policy = {"--approvers", "alice,bob,carol", "--required", "2", "--not-by", "starter", "--started-by", "carol"};

        CliRun starter = cli(concat(new String[] {"approve", "--user", "carol"}, policy, arn));
        assertEquals(ExitCodes.NOT_ALLOWED, starter.exitCode(), starter.toString());
        assertTrue(starter.err().contains("You (carol) started this build and may not approve it"), starter.toString());

        CliRun first = cli(concat(new String[] {"approve", "--user", "alice", "--comment", "canary fine"}, policy, arn));
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("Your approval is recorded: 1 of 2: alice · waiting for one more approver"
                + " (alice, bob, carol; not the starter)."), first.toString());

        CliRun again = cli(concat(new String[] {"approve", "--user", "ALICE"}, policy, arn));
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("each person counts once: 1 of 2: alice"), again.toString());
        assertTrue(cli("status", arn).out().contains("gate waiting at POST_TEST_TRAFFIC_SHIFT"), "still waiting after one person");

        CliRun second = cli(concat(new String[] {"approve", "--user", "bob"}, policy, arn));
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().contains("Approved the gate at POST_TEST_TRAFFIC_SHIFT"), second.toString());

        CliRun watch = cli("status", "--watch", "--plain", arn);
        assertEquals(0, watch.exitCode(), watch.toString());
        assertTrue(watch.out().contains("outcome: SUCCEEDED"), watch.toString());
        CliRun status = cli("status", "--json", arn);
        assertTrue(status.out().contains("[2 of 2: alice, bob]"), "who approved is kept with the decision: " + status.out());
    }

    @Test
    void someoneWhoMayNotApproveRollsBackWithRollbackRights() throws Exception {
        String arn = atTheGate("api");
        CliRun no = cli("approve", "--user", "dave", "--approvers", "alice,bob", "--rollback-by", "dave,erin", arn);
        assertEquals(ExitCodes.NOT_ALLOWED, no.exitCode(), no.toString());
        assertTrue(no.err().contains("You (dave) are not allowed to approve at this gate: it needs to be one of alice, bob"), no.toString());
        CliRun frank = cli("rollback", "--user", "frank", "--approvers", "alice,bob", "--rollback-by", "dave,erin", arn);
        assertEquals(ExitCodes.NOT_ALLOWED, frank.exitCode(), frank.toString());
        CliRun yes = cli("rollback", "--user", "dave", "--comment", "5xx up", "--approvers", "alice,bob", "--rollback-by", "dave,erin", arn);
        assertEquals(0, yes.exitCode(), yes.toString());
        assertTrue(yes.out().contains("Rolled back the gate at POST_TEST_TRAFFIC_SHIFT"), yes.toString());
        CliRun watch = cli("status", "--watch", "--plain", arn);
        assertEquals(ExitCodes.ROLLED_BACK, watch.exitCode(), watch.toString());
    }

    @Test
    void aBadPolicyIsRefusedBeforeAnyCall() throws Exception {
        CliRun r = CliRun.run("approve", "--endpoint", "http://127.0.0.1:1", "--required", "0", "--not-by", "starter",
                "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--required '0': a number of distinct approvers from 1 to 10"), r.toString());
        assertTrue(r.err().contains("--not-by 'starter': 'starter' needs --started-by ID"), r.toString());
    }

    static String[] concat(String[] head, String[] middle, String last) {
        List<String> l = new ArrayList<>(List.of(head));
        l.addAll(List.of(middle));
        l.add(last);
        return l.toArray(new String[0]);
    }
}
