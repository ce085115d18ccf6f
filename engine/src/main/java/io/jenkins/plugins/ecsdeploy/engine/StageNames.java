package io.jenkins.plugins.ecsdeploy.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * People's names for ECS's lifecycle stages, shown next to ECS's own name (never instead of it: ECS's name is what the
 * console, the API and the hooks say). One list for the terminal, the progress page (the snapshot's
 * {@code stageLabels}), the Jenkins console and build page. The words follow what each stage does on the blue/green
 * "how it works" page (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html);
 * docs/engine.md "Stages".
 */
public final class StageNames {
    private static final Map<String, String> LABELS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("RECONCILE_SERVICE", "Reconcile the service");
        m.put("PRE_SCALE_UP", "Before new tasks start");
        m.put("SCALE_UP", "Start new tasks");
        m.put("POST_SCALE_UP", "New tasks running");
        m.put("TEST_TRAFFIC_SHIFT", "Send test traffic to new");
        m.put("POST_TEST_TRAFFIC_SHIFT", "Test traffic on new");
        m.put("PRE_PRODUCTION_TRAFFIC_SHIFT", "Before production shift");
        m.put("PRODUCTION_TRAFFIC_SHIFT", "Shift production traffic");
        m.put("POST_PRODUCTION_TRAFFIC_SHIFT", "Production traffic on new");
        m.put("BAKE_TIME", "Bake, old kept ready");
        m.put("CLEAN_UP", "Clean up old tasks");
        LABELS = Collections.unmodifiableMap(m);
    }

    private StageNames() {}

    /** Every label, by ECS's stage name, in the lifecycle's order. */
    public static Map<String, String> labels() {
        return LABELS;
    }

    /** The people's name of a stage; an unknown stage (ECS adds values) is shown as ECS names it. */
    public static String human(String stage) {
        if (stage == null) {
            return "";
        }
        return LABELS.getOrDefault(stage, stage);
    }

    /** "Test traffic on new (POST_TEST_TRAFFIC_SHIFT)": the people's name with ECS's beside it. */
    public static String withEcsName(String stage) {
        String h = human(stage);
        return h.equals(stage) ? h : h + " (" + stage + ")";
    }
}
