package org.jenkinsci.plugins.workflow.actions;

import hudson.model.Action;

/** Stand-in marker: a FlowNode action that is saved with the node. */
public interface PersistentAction extends Action {
}
