package io.jenkins.plugins.ecsdeploy.plugin.harness;

import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * A flow node: the step's atom node (no body) or start node (with a body), and the body's start/end nodes
 * (docs/jenkins-behaviour.md "Bodies"). Actions are kept in memory; {@link #saveCount()} counts {@code save()} calls.
 */
public final class FakeFlowNode extends FlowNode {
    public enum Kind { ATOM, STEP_START, BODY_START, BODY_END, STEP_END }

    private final Kind kind;
    private final String displayName;
    private volatile boolean active = true;
    private volatile int saves;

    public FakeFlowNode(String id, Kind kind, String displayName, FlowNode... parents) {
        super(null, id, parents);
        this.kind = kind;
        this.displayName = displayName;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    /** While true, the node's log may still be opened ("What the test harness emulates" "StepContext.get"). */
    public boolean active() {
        return active;
    }

    void finish() {
        active = false;
    }

    @Override
    public void save() {
        saves++;
    }

    public int saveCount() {
        return saves;
    }

    @Override
    public String toString() {
        return kind + "[" + getId() + " " + displayName + "]";
    }
}
