package org.jenkinsci.plugins.workflow.graph;

import hudson.model.Actionable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;

/** Stand-in: id, parents and actions; tests subclass it (the real constructors are protected too). */
public abstract class FlowNode extends Actionable {
    private final transient FlowExecution exec;
    private final String id;
    private final List<FlowNode> parents;

    protected FlowNode(FlowExecution exec, String id, List<FlowNode> parents) {
        this.exec = exec;
        this.id = id;
        this.parents = Collections.unmodifiableList(parents);
    }

    protected FlowNode(FlowExecution exec, String id, FlowNode... parents) {
        this(exec, id, Arrays.asList(parents));
    }

    public String getId() {
        return id;
    }

    public List<FlowNode> getParents() {
        return parents;
    }

    public FlowExecution getExecution() {
        return exec;
    }

    public String getDisplayName() {
        return id;
    }

    public String getDisplayFunctionName() {
        return getDisplayName();
    }

    public String getUrl() {
        return "execution/node/" + id + "/";
    }

    /** No persistence in the stand-in. */
    public void save() throws java.io.IOException {
    }
}
