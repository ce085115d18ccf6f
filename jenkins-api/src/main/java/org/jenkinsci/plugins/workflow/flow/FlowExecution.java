package org.jenkinsci.plugins.workflow.flow;

/** Stand-in: only the type (FlowNode's constructor takes it). */
public abstract class FlowExecution {
    public FlowExecution() {
    }
}
