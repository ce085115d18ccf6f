package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.console.HyperlinkNote;
import hudson.model.Failure;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.User;
import hudson.security.SecurityRealm;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Stand-in of the input step's execution, with the behaviour the plugin relies on. Every rule cites
 * jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/InputStepExecution.java
 * (written anew, not copied):
 * <ul>
 *   <li>{@code start()} registers the execution with the run's {@link InputAction} (added if missing, the run saved),
 *       adds {@code PauseAction("Input")} to the node, prints the message with Proceed/Abort links to
 *       {@code /<run url>input/<id>/proceedEmpty|abort}, and returns false (:92-132).</li>
 *   <li>{@code stop(cause)}: the outcome is set at once, removing the input from the InputAction and ending the pause
 *       are handed to {@code jenkins.util.Timer} (as SYSTEM), and the context fails with the cause (:135-148).</li>
 *   <li>{@code proceed(map)}: an {@link ApproverAction} for {@code User.current()} on the run, the value is the single
 *       entry's value or the map (null without entries), the input settled, the context succeeds (:245-266).</li>
 *   <li>{@code doProceedEmpty()}: the submitter check, then proceed with {@code {submitterParameter: the
 *       authentication's name}} when a submitterParameter is set (:284-298). {@code doProceed} reads parameters
 *       from the form; the stand-in has no parameters, so it equals doProceedEmpty (:219-223, 422-471).</li>
 *   <li>{@code doAbort()}: the abort check, then {@code FlowInterruptedException(ABORTED, Rejection(User.current()))}
 *       (:304-315). {@code doSubmit}: "proceed" parameter present → proceed, else abort (:203-213).</li>
 *   <li>Checks: settled → {@code Failure("This input has been already given")}; submit needs, without a submitter
 *       list, Job/Build; with one, security off or Overall/Administer, or the authentication's name (realm's user id
 *       strategy) or one of its authorities (group id strategy) equal to a comma-separated, trimmed entry; abort needs
 *       Job/Cancel (or security off) or the right to submit (:320-417).</li>
 * </ul>
 * The input's state survives a restart as the execution does (program.dat); the InputAction finds it again among the
 * flow's current executions ({@link InputAction}).
 */
public class InputStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InputStepExecution.class.getName());
    private static final HttpResponse OK = new HttpResponse() { };

    final InputStep input;
    /** Non-null once proceeded, aborted or stopped (the real Outcome's role). */
    private volatile String outcome;

    InputStepExecution(InputStep input, StepContext context) {
        super(context);
        this.input = input;
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getRun();
        TaskListener listener = getContext().get(TaskListener.class);
        FlowNode node = getContext().get(FlowNode.class);
        pauseAction().add(this);
        node.addAction(new PauseAction("Input"));
        String url = '/' + run.getUrl() + "input/" + getId() + '/';
        listener.getLogger().println(input.getMessage());
        listener.getLogger().println(HyperlinkNote.encodeTo(url + "proceedEmpty", input.getOk()) + " or "
                + HyperlinkNote.encodeTo(url + "abort", input.getCancel()));
        return false;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        outcome = "stopped";
        jenkins.util.Timer.get().submit(() -> {
            try {
                postSettlement();
            } catch (IOException | InterruptedException x) {
                LOGGER.log(Level.WARNING, "failed to abort " + getContext(), x);
            }
        });
        getContext().onFailure(cause);
    }

    public String getId() {
        return input.getId();
    }

    public InputStep getInput() {
        return input;
    }

    public Run<?, ?> getRun() throws IOException, InterruptedException {
        return getContext().get(Run.class);
    }

    public boolean isSettled() {
        return outcome != null;
    }

    public String getDisplayName() {
        String m = input.getMessage();
        return m.length() < 32 ? m : m.substring(0, 32) + "...";
    }

    public HttpResponse doSubmit(StaplerRequest2 request) throws IOException, InterruptedException {
        if (request.getParameter("proceed") != null) {
            doProceed(request);
        } else {
            doAbort();
        }
        return OK;
    }

    public HttpResponse doProceed(StaplerRequest2 request) throws IOException, InterruptedException {
        preSubmissionCheck();
        return proceed(submitterValue());
    }

    public HttpResponse proceed(Map<String, Object> params) throws IOException, InterruptedException {
        User user = User.current();
        String approverId = null;
        if (user != null) {
            approverId = user.getId();
            getRun().addAction(new ApproverAction(approverId));
            getContext().get(TaskListener.class).getLogger().println("Approved by " + approverId);
        }
        Object v = params != null && params.size() == 1 ? params.values().iterator().next() : params;
        outcome = "proceeded";
        postSettlement();
        getContext().onSuccess(v);
        return OK;
    }

    public HttpResponse doProceedEmpty() throws IOException, InterruptedException {
        preSubmissionCheck();
        return proceed(submitterValue());
    }

    private Map<String, Object> submitterValue() {
        String name = input.getSubmitterParameter();
        return name == null || name.isEmpty() ? null : Map.of(name, Jenkins.getAuthentication2().getName());
    }

    public HttpResponse doAbort() throws IOException, InterruptedException {
        preAbortCheck();
        FlowInterruptedException e = new FlowInterruptedException(Result.ABORTED, new Rejection(User.current()));
        outcome = "aborted";
        postSettlement();
        getContext().onFailure(e);
        return OK;
    }

    private void preAbortCheck() throws IOException, InterruptedException {
        if (isSettled()) {
            throw new Failure("This input has been already given");
        }
        if (!canCancel() && !canSubmit()) {
            throw new Failure(input.getSubmitter() != null
                    ? "You need to be '" + input.getSubmitter() + "' (or have Job/Cancel permissions) to cancel this."
                    : "You need to have Job/Cancel permissions to cancel this.");
        }
    }

    public void preSubmissionCheck() throws IOException, InterruptedException {
        if (isSettled()) {
            throw new Failure("This input has been already given");
        }
        if (!canSubmit()) {
            throw new Failure(input.getSubmitter() != null
                    ? "You need to be " + input.getSubmitter() + " to submit this."
                    : "You need to have Job/Build permissions to submit this.");
        }
    }

    private void postSettlement() throws IOException, InterruptedException {
        try {
            pauseAction().remove(this);
            getRun().save();
        } finally {
            FlowNode node = getContext().get(FlowNode.class);
            if (node != null) {
                PauseAction.endCurrentPause(node);
            }
        }
    }

    private InputAction pauseAction() throws IOException, InterruptedException {
        Run<?, ?> run = getRun();
        synchronized (run) {
            InputAction a = run.getAction(InputAction.class);
            if (a == null) {
                run.addAction(a = new InputAction());
            }
            return a;
        }
    }

    private boolean canCancel() throws IOException, InterruptedException {
        return !Jenkins.get().isUseSecurity() || getRun().getParent().hasPermission(Item.CANCEL);
    }

    private boolean canSubmit() throws IOException, InterruptedException {
        Authentication a = Jenkins.getAuthentication2();
        String submitter = input.getSubmitter();
        if (submitter == null) {
            return getRun().getParent().hasPermission(Item.BUILD);
        }
        if (!Jenkins.get().isUseSecurity() || Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return true;
        }
        SecurityRealm realm = Jenkins.get().getSecurityRealm();
        String[] entries = submitter.split(",");
        for (String s : entries) {
            if (realm.getUserIdStrategy().equals(a.getName(), s.trim())) {
                return true;
            }
        }
        for (GrantedAuthority ga : a.getAuthorities()) {
            for (String s : entries) {
                if (realm.getGroupIdStrategy().equals(ga.getAuthority(), s.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

}
