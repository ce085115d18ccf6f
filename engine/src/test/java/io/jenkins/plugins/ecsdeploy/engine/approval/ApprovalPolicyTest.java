package io.jenkins.plugins.ecsdeploy.engine.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The approval policy every front end shares (docs/approvals.md "Approval policy"). */
class ApprovalPolicyTest {
    static final IdMatcher IDS = IdMatcher.CASE_INSENSITIVE;
    static final Instant T = Instant.parse("2026-12-03T08:00:00Z");

    static Voter member(String id, String... groups) {
        return new Voter(id, id, List.of(groups), false, false, false);
    }

    @Test
    void aQuorumOfTwoCountsTheSameApproverOnce() {
        ApprovalPolicy p = ApprovalPolicy.of("release-managers", 2, null, null).check();
        Tally t = Tally.EMPTY.with(new Approval("alice", T, null), IDS);
        Tally again = t.with(new Approval("ALICE", T.plusSeconds(5), "me again"), IDS);
        assertSame(t, again, "the same person approving twice is one approval");
        assertEquals(1, again.count());
        assertTrue(!again.met(p));
        assertEquals("1 of 2: alice · waiting for one more approver (release-managers)", again.describe(p));
        Tally done = again.with(new Approval("bob", T.plusSeconds(9), null), IDS);
        assertTrue(done.met(p));
        assertEquals("2 of 2: alice, bob · approved", done.describe(p));
    }

    @Test
    void theStarterIsRefusedUnderFourEyesEvenAsAnAdministratorAndMayStillRollBack() {
        ApprovalPolicy p = ApprovalPolicy.of("release-managers", 1, "starter", null).check();
        Voter alice = new Voter("alice", "Alice", List.of("release-managers"), true, true, true);
        String r = p.continueRefusal(alice, "Alice", IDS);
        assertEquals("You (alice) started this build and may not approve it: this gate needs someone else's approval"
                + " (notBy: starter); ask one of release-managers.", r);
        assertNull(p.continueRefusal(member("bob", "release-managers"), "alice", IDS));
        assertNull(p.rollbackRefusal(alice, IDS), "stopping a release is never refused to its starter");
        assertNull(p.continueRefusal(member("bob", "release-managers"), null, IDS), "no starter (a timer): nobody excluded");
    }

    @Test
    void aNamedUserInNotByIsRefused() {
        ApprovalPolicy p = ApprovalPolicy.of("alice, bob", 1, "bob", null).check();
        assertEquals("You (bob) may not approve at this gate (notBy: bob).", p.continueRefusal(member("bob"), null, IDS));
        assertNull(p.continueRefusal(member("alice"), null, IDS));
    }

    @Test
    void someoneWhoMayNotContinueMayRollBackWithRollbackRights() {
        ApprovalPolicy p = ApprovalPolicy.of("release-managers", 2, null, "on-call").check();
        Voter carol = member("carol", "on-call");
        assertEquals("You (carol) are not allowed to approve at this gate: it needs to be one of release-managers (a user or"
                + " a group), or an administrator.", p.continueRefusal(carol, null, IDS));
        assertNull(p.rollbackRefusal(carol, IDS));
        assertNotNull(p.rollbackRefusal(member("dave", "developers"), IDS));
        assertNotNull(p.rollbackRefusal(new Voter("erin", "Erin", List.of(), false, true, true), IDS),
                "an explicit rollbackBy is the list: Job/Build alone does not do");
    }

    @Test
    void withoutRollbackByAnyoneWithJobBuildMayRollBackButNotApproveOutsideTheList() {
        ApprovalPolicy p = ApprovalPolicy.of("release-managers", 1, null, null);
        Voter builder = new Voter("frank", "Frank", List.of("developers"), false, true, false);
        assertNotNull(p.continueRefusal(builder, null, IDS));
        assertNull(p.rollbackRefusal(builder, IDS));
        assertEquals("You (gina) need the Job/Build or Job/Cancel permission on this job to roll back at this gate.",
                p.rollbackRefusal(member("gina", "readers"), IDS));
        assertNull(p.rollbackRefusal(member("hank", "release-managers"), IDS), "whoever may approve may roll back");
    }

    @Test
    void badPoliciesAreRefusedNamingTheFieldTheValueAndWhatIsAllowed() {
        List<ValidationProblem> p = ApprovalPolicy.of("alice", 0, "alice", "x\u0007y").validate();
        assertEquals(List.of(
                "required '0': a number of distinct approvers from 1 to 10",
                "rollbackBy 'x\\x07y': comma-separated user or group ids of at most 128 printable characters each",
                "notBy 'alice': not every approver: nobody would be left to approve (approvers: alice)"),
                p.stream().map(ValidationProblem::message).toList());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> ApprovalPolicy.of(null, 11, null, null).check());
        assertEquals("required '11': a number of distinct approvers from 1 to 10", e.getMessage());
        assertEquals("--required '11': a number of distinct approvers from 1 to 10",
                ApprovalPolicy.of(null, 11, null, null).validate("--approvers", "--required", "--not-by", "--rollback-by")
                        .get(0).message());
    }
}
