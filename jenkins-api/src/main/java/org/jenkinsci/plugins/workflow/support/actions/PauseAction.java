package org.jenkinsci.plugins.workflow.support.actions;

import hudson.model.Action;
import hudson.model.InvisibleAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.actions.PersistentAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * Stand-in of workflow-support's pause marker on a flow node, with its behaviour
 * (jenkinsci/workflow-support-plugin@1015.v785e5a_b_b_8b_22:src/main/java/org/jenkinsci/plugins/workflow/support/actions/PauseAction.java):
 * started at construction (:50), paused while the end time is 0 (:81), the CURRENT pause is the last one on the
 * node (:100-107), {@link #endCurrentPause} sets its end time and saves the node (:110-118).
 */
public class PauseAction extends InvisibleAction implements PersistentAction {
    private String cause;
    private long startTime = System.currentTimeMillis();
    private long endTime;

    public PauseAction(String cause) {
        this.cause = cause;
    }

    public String getCause() { return cause; }
    public void setCause(String cause) { this.cause = cause; }
    public long getStartTime() { return startTime; }
    public void setStartTime(long startTime) { this.startTime = startTime; }
    public long getEndTime() { return endTime; }
    public void setEndTime(long endTime) { this.endTime = endTime; }

    public boolean isPaused() {
        return endTime == 0L;
    }

    public long getPauseDuration() {
        return isPaused() ? System.currentTimeMillis() - startTime : endTime - startTime;
    }

    public static PauseAction getCurrentPause(FlowNode node) {
        List<PauseAction> l = getPauseActions(node);
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    public static void endCurrentPause(FlowNode node) throws IOException {
        PauseAction p = getCurrentPause(node);
        if (p != null) {
            p.setEndTime(System.currentTimeMillis());
            node.save();
        }
    }

    public static boolean isPaused(FlowNode node) {
        PauseAction p = getCurrentPause(node);
        return p != null && p.isPaused();
    }

    public static List<PauseAction> getPauseActions(FlowNode node) {
        List<PauseAction> out = new ArrayList<>();
        for (Action a : node.getActions()) {
            if (a instanceof PauseAction p) {
                out.add(p);
            }
        }
        return out;
    }

    public static long getPauseDuration(FlowNode node) {
        long d = 0;
        for (PauseAction p : getPauseActions(node)) {
            d += p.getPauseDuration();
        }
        return d;
    }
}
