package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;

/**
 * A gate handler in front of the caller's own: gates at the analysis's stages are measured and decided by the analysis
 * (a person is asked only when it is inconclusive and says so); every other gate goes straight to {@code human}.
 * Made by {@link Analyses#gateHandler}; pass it to {@code DeploymentEngine.follow}.
 */
public final class AnalysisGateHandler implements GateHandler {
    private final Analyses analyses;
    private final AnalysisDefinition definition;
    private final GateHandler human;

    AnalysisGateHandler(Analyses analyses, AnalysisDefinition definition, GateHandler human) {
        this.analyses = analyses;
        this.definition = definition;
        this.human = human;
    }

    public AnalysisDefinition definition() {
        return definition;
    }

    /** Whether the analysis owns the gates at {@code stage} of a deployment with {@code strategy}. */
    public boolean owns(String strategy, String stage) {
        return definition.stagesFor(strategy).contains(stage);
    }

    @Override
    public void onGate(PendingGate gate) {
        if (owns(gate.deployment().strategy(), gate.stage())) {
            analyses.onGate(definition, gate, human);
        } else if (human != null) {
            human.onGate(gate);
        }
    }
}
