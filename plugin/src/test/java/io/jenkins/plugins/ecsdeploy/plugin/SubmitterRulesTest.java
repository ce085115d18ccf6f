package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The input step's canSettle rules (docs/jenkins-behaviour.md "The input step") as the approval action applies them. */
class SubmitterRulesTest {
    static final SubmitterRules.Ids IDS = SubmitterRules.Ids.CASE_INSENSITIVE;

    static SubmitterRules.Decider user(String id, boolean mayBuild, String... groups) {
        return new SubmitterRules.Decider(id, id, List.of(groups), false, mayBuild);
    }

    @Test
    void withoutASubmitterJobBuildDecides() {
        assertNull(SubmitterRules.refusal(null, user("dev", true), IDS));
        assertEquals("You (guest) need the Job/Build permission on this job to decide at this gate.",
                SubmitterRules.refusal(null, user("guest", false), IDS));
    }

    @Test
    void usersAndGroupsMatchCaseInsensitivelyAfterTrimming() {
        assertNull(SubmitterRules.refusal(" Alice , release-managers ", user("alice", false), IDS));
        assertNull(SubmitterRules.refusal("alice,Release-Managers", user("bob", false, "release-managers"), IDS));
        assertEquals("You (bob) are not allowed to decide at this gate: it needs to be one of alice, release-managers "
                + "(a user or a group), or an administrator.", SubmitterRules.refusal("alice, release-managers", user("bob", true, "dev"), IDS));
    }

    @Test
    void rollingBackAlsoPassesWithJobCancelAsInputsAbortDoes() {
        SubmitterRules.Decider canceller = new SubmitterRules.Decider("ops", "ops", List.of(), false, false, true);
        assertNull(SubmitterRules.abortRefusal("alice", canceller, IDS));
        assertEquals(true, SubmitterRules.refusal("alice", canceller, IDS) != null, "but may not approve");
        String r = SubmitterRules.abortRefusal("alice", user("bob", true), IDS);
        assertEquals("You (bob) are not allowed to roll back at this gate: it needs to be one of alice (a user or a group), "
                + "or an administrator. (Job/Cancel also allows rolling back.)", r);
        assertNull(SubmitterRules.abortRefusal("alice", user("alice", false), IDS));
    }

    @Test
    void administratorsAlwaysDecide() {
        assertNull(SubmitterRules.refusal("alice", new SubmitterRules.Decider("root", "root", List.of(), true, false), IDS));
    }

    @Test
    void aCaseSensitiveRealmIsRespected() {
        SubmitterRules.Ids exact = new SubmitterRules.Ids() {
            @Override public boolean sameUser(String a, String b) { return a.equals(b); }
            @Override public boolean sameGroup(String a, String b) { return a.equals(b); }
        };
        assertNull(SubmitterRules.refusal("alice", user("alice", false), exact));
        assertEquals(true, SubmitterRules.refusal("alice", user("ALICE", false), exact) != null);
    }
}
