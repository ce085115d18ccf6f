package io.jenkins.plugins.ecsdeploy.plugin.harness;

import jenkins.model.CauseOfInterruption;

/**
 * The cause CPS gives the step running in a body when the enclosing block step fails first (a private class in
 * workflow-cps, docs/jenkins-behaviour.md "Bodies").
 */
public final class BodyFailed extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;

    @Override
    public String getShortDescription() {
        return "Body of block-scoped step failed";
    }
}
