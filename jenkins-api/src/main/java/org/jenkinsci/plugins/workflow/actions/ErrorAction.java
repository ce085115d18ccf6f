package org.jenkinsci.plugins.workflow.actions;

/** Stand-in: the error a (body) end node finished with (docs/jenkins-behaviour.md "Bodies"). */
public class ErrorAction implements PersistentAction {
    private final Throwable error;

    public ErrorAction(Throwable error) {
        if (error == null) {
            throw new IllegalArgumentException("null error");
        }
        this.error = error;
    }

    public Throwable getError() {
        return error;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Error signal";
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
