package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Stand-in of the run's pending inputs ({@code /input/}), with the real persistence rule
 * (jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/InputAction.java):
 * only the ids are saved in build.xml; the executions are transient and, after a load, found again among the flow's
 * current step executions whose id is listed (:34-93) — here {@link StandInJenkins#currentExecutions(Run)}, which the
 * Pipeline harness fills. {@code add}/{@code remove} save the run (:123-170); {@code getDynamic(id)} resolves the URL
 * token to the execution (:175-177); icon and display name only while an id is pending (:99-116).
 */
public class InputAction implements RunAction2 {
    private transient List<InputStepExecution> executions = new ArrayList<>();
    private List<String> ids = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    public InputAction() {
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
        if (ids == null) {
            ids = new CopyOnWriteArrayList<>();
        }
    }

    private synchronized void loadExecutions() {
        if (executions == null) {
            List<InputStepExecution> found = new ArrayList<>();
            for (StepExecution se : StandInJenkins.currentExecutions(run)) {
                if (se instanceof InputStepExecution && ids.contains(((InputStepExecution) se).getId())) {
                    found.add((InputStepExecution) se);
                }
            }
            executions = found;
        }
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return ids == null || ids.isEmpty() ? null : "help.png";
    }

    @Override
    public String getDisplayName() {
        return ids == null || ids.isEmpty() ? null : "Paused for Input";
    }

    @Override
    public String getUrlName() {
        return "input";
    }

    public synchronized void add(InputStepExecution step) throws IOException {
        loadExecutions();
        executions.add(step);
        ids.add(step.getId());
        run.save();
    }

    public synchronized InputStepExecution getExecution(String id) {
        loadExecutions();
        for (InputStepExecution e : executions) {
            if (e.input.getId().equals(id)) {
                return e;
            }
        }
        return null;
    }

    public synchronized List<InputStepExecution> getExecutions() {
        loadExecutions();
        return new ArrayList<>(executions);
    }

    public boolean isWaitingForInput() {
        return !getExecutions().isEmpty();
    }

    public synchronized void remove(InputStepExecution exec) throws IOException {
        loadExecutions();
        executions.remove(exec);
        ids.remove(exec.getId());
        run.save();
    }

    public InputStepExecution getDynamic(String token) {
        return getExecution(token);
    }

    /** XStream and Java serialization run no initialiser: the transient list comes back null, as in core. */
    private Object readResolve() {
        executions = null;
        return this;
    }
}
