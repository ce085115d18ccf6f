package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

/** Stand-in: onAttached from Run.addAction; onLoad after a restart (docs/jenkins-behaviour.md "Build page summary"). */
public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
