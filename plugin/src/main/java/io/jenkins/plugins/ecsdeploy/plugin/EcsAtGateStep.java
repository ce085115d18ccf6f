package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code ecsAtGate(deployment: d) { sh './smoke-test.sh' }}: runs the body while ECS holds the deployment
 * at its gate, with the deployment in environment variables (ECS_DEPLOYMENT_ARN, ECS_DEPLOYMENT_STAGE,
 * ECS_GREEN_REVISION_ARN, ECS_TEST_TRAFFIC_WEIGHTS, …). Body success → CONTINUE, or on to the approval
 * when the deployment asked for one; body failure → ROLLBACK, and the step fails with the body's error.
 *
 * <p>Why a separate step and not a body on {@code ecsBlueGreen}: Pipeline cannot give a step an
 * <em>optional</em> body — a descriptor that takes a block makes every call without one fail with
 * "… step must be called with a body" (docs/jenkins-behaviour.md "Order of checks" row 2; {@code stage} is the only
 * exception). docs/pipeline-steps.md "Checks at the gate".
 */
public class EcsAtGateStep extends DeploymentHandleStep {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public EcsAtGateStep(Object deployment) {
        super(deployment);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends DeploymentStepExecution {
        private static final long serialVersionUID = 1L;
        private String hookId;
        private String stage;
        private boolean bodyStarted;
        /** Set (and saved) when the body ended: whether it succeeded, and its failure. */
        private volatile Boolean bodySucceeded;
        private volatile Throwable bodyFailure;
        private transient EcsAtGateStep step;

        Execution(StepContext context, EcsAtGateStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected String functionName() {
            return "ecsAtGate";
        }

        @Override
        public boolean start() throws Exception {
            bind(step);
            if (ref.gateStage == null) {
                log("the deployment was not started with a gate (approval or waitUntil at the approvalStage); waiting for one anyway");
            }
            followOnTimer();
            return false;
        }

        /**
         * After a restart: if the body had ended, its decision may have been in flight (a pending task is lost with the
         * JVM; a found defect: the step hung) — send it again (the engine answers ALREADY_DECIDED to a hook already
         * decided, without calling ECS blindly) and complete. A body still running resumes with the program.
         */
        @Override
        public void onResume() {
            Boolean ok = bodySucceeded;
            if (!completed && pendingStop == null && ok != null) {
                Callback c = new Callback(ref, hookId, stage, this);
                if (ok) {
                    c.onSuccess(getContext(), null);
                } else {
                    c.onFailure(getContext(), bodyFailure);
                }
                return;
            }
            super.onResume();
        }

        /** Called by the body's callback (on the CPS VM thread): remembered and saved before the decision is sent. */
        void bodyEnded(boolean ok, Throwable failure) {
            bodySucceeded = ok;
            bodyFailure = failure;
            try {
                getContext().saveState();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(EcsAtGateStep.class.getName()).log(java.util.logging.Level.FINE, "saveState", e);
            }
        }

        void completedByCallback() {
            completed = true;
        }

        @Override
        protected void follow() throws Exception {
            if (bodyStarted) {
                return; // the body itself resumes with the program; its callback decides
            }
            startFollower(null, this::ended, this::onGate);
        }

        private synchronized void onGate(PendingGate gate) {
            if (bodyStarted || completed) {
                return;
            }
            bodyStarted = true;
            hookId = gate.hookId();
            stage = gate.stage();
            Follower f = follower;
            if (f != null) {
                f.close(); // the body takes over; the deploy step or ecsWait reports the outcome
            }
            Map<String, String> env = environment(ref, gate.stage(), gate.hookId(), gate.snapshot());
            log("running the checks at " + gate.stage() + " (hook " + gate.hookId() + ")");
            try {
                StepContext ctx = getContext();
                EnvironmentExpander outer = ctx.get(EnvironmentExpander.class);
                ctx.newBodyInvoker()
                        .withContext(EnvironmentExpander.merge(outer, EnvironmentExpander.constant(env)))
                        .withCallback(new Callback(ref, hookId, stage, this))
                        .start();
                // bodyStarted, the hook id and the body's callback were set here, off the CPS VM thread: saved at once,
                // or a crash before the next checkpoint would run the checks a second time and lose the callback
                ctx.saveState();
            } catch (Exception e) {
                fail(explain(e, "ecsAtGate: could not run the body"));
            }
        }

        private void ended(Follower.Result r) {
            deploymentFinished = r.finished();
            if (r.failed()) {
                fail(new AbortException("ecsAtGate: the deployment ended before its gate: " + r.failureText(ref.label())));
            } else {
                fail(new AbortException("ecsAtGate: the deployment of " + ref.label() + " finished without stopping at a gate"));
            }
        }
    }

    /** The deployment as environment variables for the body. */
    static Map<String, String> environment(DeploymentRef ref, String stage, String hookId, DeploymentSnapshot s) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ECS_DEPLOYMENT_ARN", ref.deploymentArn);
        env.put("ECS_DEPLOYMENT_STAGE", stage);
        env.put("ECS_GATE_HOOK_ID", hookId);
        env.put("ECS_CLUSTER", ref.cluster == null ? "default" : ref.cluster);
        env.put("ECS_SERVICE", ref.service);
        env.put("ECS_REGION", ref.region);
        if (s != null) {
            if (!s.green().revisionArns().isEmpty()) {
                env.put("ECS_GREEN_REVISION_ARN", s.green().revisionArns().get(0));
            }
            env.put("ECS_BLUE_REVISION_ARNS", String.join(",", s.blue().revisionArns()));
            env.put("ECS_TEST_TRAFFIC_WEIGHTS", "green=" + pct(s.green().testTrafficPercent()) + ",blue=" + pct(s.blue().testTrafficPercent()));
            env.put("ECS_PRODUCTION_TRAFFIC_WEIGHTS", "green=" + pct(s.green().productionTrafficPercent()) + ",blue=" + pct(s.blue().productionTrafficPercent()));
        }
        env.values().removeIf(v -> v == null);
        return env;
    }

    private static String pct(Double d) {
        if (d == null) {
            return "";
        }
        return d == Math.rint(d) ? String.valueOf(d.intValue()) : String.valueOf(d);
    }

    /**
     * Decides at the gate from the body's outcome. Serializable (saved with the program while the body
     * runs), so it holds only ids; the ECS call runs on Timer, never on the CPS VM thread.
     */
    static final class Callback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final DeploymentRef ref;
        private final String hookId;
        private final String stage;
        /** The step's execution (serialized with the program together with this callback, as in program.dat). */
        private final Execution owner;

        Callback(DeploymentRef ref, String hookId, String stage, Execution owner) {
            this.ref = ref;
            this.hookId = hookId;
            this.stage = stage;
            this.owner = owner;
        }

        private void done(StepContext context, Object value, Throwable failure) {
            if (owner != null) {
                owner.completedByCallback();
            }
            if (failure != null) {
                context.onFailure(failure);
            } else {
                context.onSuccess(value);
            }
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            if (owner != null) {
                owner.bodyEnded(true, null);
            }
            PluginExecutors.io().submit(() -> {
                Run<?, ?> run = get(context, Run.class);
                TaskListener listener = get(context, TaskListener.class);
                if (ref.approval) {
                    Console.line(listener, ref.label(), "checks at " + stage + " passed; the gate now waits for an approval "
                            + Console.link(run, EcsApprovalAction.URL_NAME + "/", "(Approve or roll back)"));
                    done(context, ref.toMap(null, null), null);
                    return;
                }
                decide(context, run, listener, HookAction.CONTINUE, "checks passed", () -> done(context, ref.toMap(null, null), null));
            });
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            if (owner != null) {
                owner.bodyEnded(false, t);
            }
            PluginExecutors.io().submit(() -> {
                Run<?, ?> run = get(context, Run.class);
                TaskListener listener = get(context, TaskListener.class);
                Interruption why = Interruption.classify(t);
                if (t instanceof FlowInterruptedException && !ref.rollbackOnAbort()) {
                    Console.line(listener, ref.label(), "build " + why.text() + "; onAbort: LEAVE, the gate stays for a decision");
                    done(context, null, t);
                    return;
                }
                if (run != null) {
                    EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
                    if (a != null) {
                        a.closed(hookId, GateRecord.Status.CLOSED, "checks failed: " + why.text());
                    }
                }
                decide(context, run, listener, HookAction.ROLLBACK, "checks failed: " + why.text(), () -> done(context, null, t));
            });
        }

        private void decide(StepContext context, Run<?, ?> run, TaskListener listener, HookAction action, String comment, Runnable then) {
            EngineRegistry.Lease lease;
            try {
                lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn);
            } catch (Exception e) {
                Console.line(listener, ref.label(), "could not decide at " + stage + ": " + e.getMessage());
                then.run();
                return;
            }
            Console.line(listener, ref.label(), comment + " → " + action + " at " + stage);
            lease.engine().decide(ref.handle(), hookId, new GateDecision(action, "ecsAtGate", comment))
                    .whenComplete((res, err) -> {
                        lease.close();
                        if (err != null) {
                            Console.line(listener, ref.label(), "ECS did not take the decision: " + err.getMessage());
                        } else {
                            Console.line(listener, ref.label(), "decision " + action + " at " + stage + ": " + res);
                        }
                        then.run();
                    });
        }

        private static <T> T get(StepContext c, Class<T> type) {
            try {
                return c.get(type);
            } catch (Exception e) {
                return null;
            }
        }
    }

    @Extension
    @Symbol("ecsAtGate")
    public static class DescriptorImpl extends DeploymentStepDescriptor {
        @Override public String getFunctionName() { return "ecsAtGate"; }
        @Override public String getDisplayName() { return "Run checks while an Amazon ECS deployment waits at its gate"; }
        @Override public boolean takesImplicitBlockArgument() { return true; }
    }
}
