package io.jenkins.plugins.ecsdeploy.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A revision as a person names it: the task definition's {@code family:revision} ("web:42") and the images that
 * change ("nginx:1.27 → nginx:1.28"), instead of a service-revision ARN. One wording for the terminal, the progress
 * page (the snapshot's side.{@code revisionName} and {@code imageChanges}), the outcome and the Jenkins build page.
 */
public final class RevisionNames {
    private RevisionNames() {}

    /** One container whose image differs between blue and green ({@code from} null: a container green adds). */
    public record ImageChange(String container, String from, String to) {}

    /**
     * {@code family:revision} from a task definition ARN ({@code arn:aws:ecs:<region>:<account>:task-definition/web:42},
     * the TaskDefinition API reference); a value that is not such an ARN is returned as it is; null stays null.
     */
    public static String familyRevision(String taskDefinitionArn) {
        if (taskDefinitionArn == null) {
            return null;
        }
        int i = taskDefinitionArn.indexOf(":task-definition/");
        return i < 0 ? taskDefinitionArn : taskDefinitionArn.substring(i + ":task-definition/".length());
    }

    /** Containers of green whose image is not blue's, in green's order. Empty when either side's images are unknown. */
    public static List<ImageChange> imageChanges(DeploymentSnapshot.Side blue, DeploymentSnapshot.Side green) {
        List<ImageChange> out = new ArrayList<>();
        if (green == null || green.images().isEmpty() || blue == null || blue.images().isEmpty()) {
            return out;
        }
        for (Map.Entry<String, String> e : green.images().entrySet()) {
            String old = blue.images().get(e.getKey());
            if (old == null || !old.equals(e.getValue())) {
                out.add(new ImageChange(e.getKey(), old, e.getValue()));
            }
        }
        return out;
    }

    /**
     * The image without its registry and path, as people say it: {@code public.ecr.aws/nginx/nginx:1.28} →
     * {@code nginx:1.28}; a digest is cut to 12 hex digits.
     */
    public static String shortImage(String image) {
        if (image == null) {
            return "";
        }
        String s = image.substring(image.lastIndexOf('/') + 1);
        int at = s.indexOf("@sha256:");
        if (at >= 0 && s.length() > at + 8 + 12) {
            s = s.substring(0, at + 8 + 12);
        }
        return s;
    }

    /**
     * "web:42 (nginx:1.27 → nginx:1.28)": green's family:revision and what changed; with several changed containers
     * each is named ("web nginx:1.27 → nginx:1.28, sidecar …"). Null when green's task definition is not known.
     */
    public static String describe(DeploymentSnapshot.Side blue, DeploymentSnapshot.Side green) {
        String name = green == null ? null : familyRevision(green.taskDefinition());
        if (name == null) {
            return null;
        }
        List<ImageChange> changes = imageChanges(blue, green);
        if (changes.isEmpty()) {
            String only = green.images().size() == 1 ? shortImage(green.images().values().iterator().next()) : null;
            return only == null || only.isEmpty() ? name : name + " (" + only + ")";
        }
        List<String> parts = new ArrayList<>();
        for (ImageChange c : changes) {
            String change = (c.from() == null ? "new " : shortImage(c.from()) + " → ") + shortImage(c.to());
            parts.add(changes.size() == 1 ? change : c.container() + " " + change);
        }
        return name + " (" + String.join(", ", parts) + ")";
    }
}
