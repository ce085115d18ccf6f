package org.jenkinsci.plugins.workflow.steps;

import jenkins.model.CauseOfInterruption;

/**
 * Test-only stand-in for workflow-basic-steps' TimeoutStepExecution, which the plugin does not depend on: only its
 * cause class matters, and the plugin must recognise it by NAME,
 * {@code org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution$ExceededTimeout} (docs/jenkins-behaviour.md "Telling an abort from a timeout").
 */
public final class TimeoutStepExecution {
    private TimeoutStepExecution() {
    }

    /** "Timeout has been exceeded"; the node id says which timeout fired. */
    public static final class ExceededTimeout extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;
        private final String nodeId;

        public ExceededTimeout(String nodeId) {
            this.nodeId = nodeId;
        }

        public String getNodeId() {
            return nodeId;
        }

        @Override
        public String getShortDescription() {
            return "Timeout has been exceeded";
        }
    }
}
