package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.CauseOfInterruption;

/** Stand-in: result + causes; the message joins the causes' short descriptions (docs/jenkins-behaviour.md "Telling an abort from a timeout"). */
public final class FlowInterruptedException extends InterruptedException {
    private static final long serialVersionUID = 1L;
    private final Result result;
    private final List<CauseOfInterruption> causes;
    private boolean actualInterruption;

    public FlowInterruptedException(Result result, boolean actualInterruption, CauseOfInterruption... causes) {
        this.result = result;
        this.causes = Arrays.asList(causes);
        this.actualInterruption = actualInterruption;
    }

    @Deprecated
    public FlowInterruptedException(Result result, CauseOfInterruption... causes) {
        this(result, true, causes);
    }

    public Result getResult() {
        return result;
    }

    public List<CauseOfInterruption> getCauses() {
        return Collections.unmodifiableList(causes);
    }

    public boolean isActualInterruption() {
        return actualInterruption;
    }

    public void setActualInterruption(boolean actualInterruption) {
        this.actualInterruption = actualInterruption;
    }

    public void handle(Run<?, ?> run, TaskListener listener) {
        run.setResult(result);
        for (CauseOfInterruption c : causes) {
            c.print(listener);
        }
    }

    @Override
    public String getMessage() {
        return causes.stream().map(CauseOfInterruption::getShortDescription).collect(Collectors.joining(", "));
    }
}
