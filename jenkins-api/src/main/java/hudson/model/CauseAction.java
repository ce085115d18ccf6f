package hudson.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * Stand-in: the causes of a build, the action {@link Run#getCauses()} reads
 * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/CauseAction.java:58-111). Real core counts equal
 * causes in a bag; the stand-in keeps them in a list in insertion order (what a reader of getCauses() sees for distinct
 * causes).
 */
public class CauseAction implements RunAction2 {
    private final List<Cause> causes = new ArrayList<>();

    public CauseAction(Cause c) {
        causes.add(c);
    }

    public CauseAction(Cause... c) {
        causes.addAll(Arrays.asList(c));
    }

    public CauseAction(java.util.Collection<? extends Cause> c) {
        causes.addAll(c);
    }

    public List<Cause> getCauses() {
        return Collections.unmodifiableList(new ArrayList<>(causes));
    }

    /** Real: the first cause of the type (CauseAction.java:106-111). */
    public <T extends Cause> T findCause(Class<T> type) {
        for (Cause c : causes) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Cause";
    }

    @Override
    public String getUrlName() {
        return "cause";
    }

    @Override
    public void onAttached(Run<?, ?> r) {
    }

    @Override
    public void onLoad(Run<?, ?> r) {
    }
}
