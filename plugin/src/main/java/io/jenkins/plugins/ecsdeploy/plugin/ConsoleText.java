package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.StageNames;
import java.util.List;

/**
 * One deployment event for the build log, step-aware and in people's words — the same wording as the CLI's plain
 * lines (docs/cli.md "Output forms"): a stage with its name for people beside ECS's ("stage Test traffic on new
 * (POST_TEST_TRAFFIC_SHIFT) entered", "(rolling back)" on the rollback's path), a production traffic change and the
 * final bake with where the plan stands ("· Canary 1/2 · 10 % · bake 5m 00s left · about 15 min to go"), the revision as
 * people name it ("deploying web:2 (nginx:1.27 → nginx:1.28), replacing web:1"). Other events: their own text.
 */
final class ConsoleText {
    private ConsoleText() {
    }

    static String line(DeploymentEvent e, DeploymentSnapshot s) {
        String text = e.describe();
        if (s == null) {
            return text;
        }
        if (e instanceof DeploymentEvent.StageEntered se) {
            text = "stage " + StageNames.withEcsName(se.stage()) + " entered" + (rollbackStage(s, se) ? " (rolling back)" : "");
            if ("BAKE_TIME".equals(se.stage()) && s.progress() != null) {
                text += " · " + s.progress().describe(e.at());
            }
        } else if (e instanceof DeploymentEvent.TrafficChanged && s.progress() != null && s.rollbackStartedAt() == null
                && s.trafficShiftedAt() != null && s.trafficShiftedAt().equals(e.at())) {
            text += " · " + s.progress().describe(e.at());
        } else if (e instanceof DeploymentEvent.RevisionsDescribed && s.revisionDescription() != null) {
            text = "deploying " + s.revisionDescription() + (s.blue().revisionName() == null ? "" : ", replacing " + s.blue().revisionName());
        }
        return text;
    }

    private static boolean rollbackStage(DeploymentSnapshot s, DeploymentEvent.StageEntered se) {
        List<DeploymentSnapshot.Stage> st = s.stages();
        return !st.isEmpty() && st.get(st.size() - 1).name().equals(se.stage()) && st.get(st.size() - 1).rollback();
    }
}
