package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStep;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;

/**
 * Test support: {@code ecsApprove(args)} as a Jenkinsfile runs it — the global variable's Groovy (EcsApprove.groovy)
 * under real Groovy, the block step {@code ecsApprovalGate} and the stand-in of pipeline-input-step's {@code input}.
 */
final class EcsApproveInput {
    final GroovyPipeline pipeline;
    final StepRunner runner;

    private EcsApproveInput(StepRunner runner, GroovyPipeline pipeline) {
        this.runner = runner;
        this.pipeline = pipeline;
    }

    static GroovyPipeline pipeline(StepRunner runner) {
        StandInJenkins.register(new EcsApproveVariable());
        StandInJenkins.register(new EcsApproveVariable.GroovySources());
        return GroovyPipeline.running(runner).steps(EcsApproveStep.class, InputStep.class, EcsWaitStep.class,
                EcsBlueGreenStep.class, EcsCanaryStep.class, EcsAtGateStep.class, EcsRollbackStep.class);
    }

    /** Starts {@code ecsApprove(ARGS)} and returns once the ecsApprovalGate step runs. */
    static EcsApproveInput start(StepRunner runner, Map<String, Object> args) throws InterruptedException {
        GroovyPipeline p = pipeline(runner).variable("ARGS", args);
        p.start("ecsApprove(ARGS)");
        EcsApproveInput e = new EcsApproveInput(runner, p);
        EcsSandbox.await("ecsApprove to start", Duration.ofSeconds(30), () -> !p.started().isEmpty() || p.isDone(), null);
        return e;
    }

    /** The ecsApprovalGate step's context. */
    FakeStepContext gate() {
        return pipeline.started().get(0);
    }

    /** Waits for the gate's input to be listed in the run's InputAction. */
    InputStepExecution awaitInput() throws InterruptedException {
        EcsSandbox.await("the gate's input listed in the InputAction", Duration.ofSeconds(30), () -> input(runner) != null, gate());
        return input(runner);
    }

    static InputStepExecution input(StepRunner runner) {
        InputAction a = runner.run().getAction(InputAction.class);
        if (a == null) {
            return null;
        }
        return a.getExecutions().stream().filter(x -> x.getId().startsWith("Ecs-")).findFirst().orElse(null);
    }
}
