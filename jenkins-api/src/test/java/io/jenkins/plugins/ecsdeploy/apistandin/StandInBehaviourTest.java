package io.jenkins.plugins.ecsdeploy.apistandin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The behaviour the stand-in promises to tests (docs/jenkins-stand-in.md "1. jenkins-api/"). */
class StandInBehaviourTest {
    @AfterEach
    void reset() {
        StandInJenkins.reset();
    }

    @Test
    void jenkinsGetFailsLikeCoreUntilInstalled() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Jenkins::get);
        assertTrue(e.getMessage().startsWith("Jenkins.instance is missing."));
        assertNull(Jenkins.getInstanceOrNull());
        assertSame(StandInJenkins.install(), Jenkins.get());
    }

    @Test
    void securityOffAllowsEverythingAndGrantsDecideOnceOn() {
        Jenkins j = StandInJenkins.install();
        assertTrue(j.hasPermission(Jenkins.ADMINISTER));
        StandInJenkins.grant("alice", Item.BUILD);
        StandInJenkins.setCurrentUser("alice");
        assertTrue(j.hasPermission(Item.BUILD));
        assertFalse(j.hasPermission(Item.CANCEL));
        StandInJenkins.AccessDenied e = assertThrows(StandInJenkins.AccessDenied.class, () -> j.checkPermission(Item.CANCEL));
        assertEquals("alice is missing the Job/Cancel permission", e.getMessage());
        StandInJenkins.grant("root", Jenkins.ADMINISTER);
        StandInJenkins.setCurrentUser("root");
        assertTrue(j.hasPermission(Item.CANCEL), "Administer implies everything");
        assertEquals("root", User.current().getId());
    }

    @Test
    void envVarsOverrideRemovesOnEmptyAndPrependsForPathPlus() {
        EnvVars env = new EnvVars("PATH", "/bin", "A", "1");
        env.override("a", "");
        assertFalse(env.containsKey("A"), "keys are case-insensitive and an empty value removes");
        env.override("PATH+X", "/opt/x");
        assertEquals("/opt/x" + java.io.File.pathSeparator + "/bin", env.get("PATH"));
        assertEquals("bin=/opt/x" + java.io.File.pathSeparator + "/bin $UNSET", env.expand("bin=${PATH} $UNSET"));
    }

    @Test
    void resultsOnlyGetWorse() {
        assertSame(Result.ABORTED, Result.SUCCESS.combine(Result.ABORTED));
        assertSame(Result.FAILURE, Result.FAILURE.combine(Result.UNSTABLE));
        assertTrue(Result.ABORTED.isWorseThan(Result.FAILURE));
    }

    @Test
    void interruptionMessagesJoinTheCauses() {
        FlowInterruptedException e = new FlowInterruptedException(Result.ABORTED, true,
                new CauseOfInterruption.UserInterruption("alice"), new CauseOfInterruption.UserInterruption("bob"));
        assertEquals("Aborted by alice, Aborted by bob", e.getMessage());
        assertEquals("", new FlowInterruptedException(Result.ABORTED, true).getMessage());
    }

    @Test
    void expandersMergeInOrderAndTheEffectiveEnvironmentLayersThem() throws Exception {
        List<String> order = new ArrayList<>();
        EnvironmentExpander first = new EnvironmentExpander() {
            @Override
            public void expand(EnvVars env) {
                order.add("first");
                env.override("X", "1");
            }
        };
        EnvironmentExpander merged = EnvironmentExpander.merge(first, EnvironmentExpander.constant(Map.of("X", "2", "Y", "y")));
        EnvVars eff = EnvironmentExpander.getEffectiveEnvironment(new EnvVars("X", "0", "Z", "z"), new EnvVars("Z", "node"), merged, null, null);
        assertEquals(List.of("first"), order);
        assertEquals("2", eff.get("X"));
        assertEquals("node", eff.get("Z"));
        assertSame(first, EnvironmentExpander.merge(null, first));
    }
}
