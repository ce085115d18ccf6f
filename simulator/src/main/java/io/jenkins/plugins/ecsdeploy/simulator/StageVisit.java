package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Instant;

/**
 * One stage a service deployment went through, in virtual time. {@code stage} is the internal stage name
 * (PRE_PRODUCTION_TRAFFIC_SHIFT included, whatever lifecycleStage reports); {@code leftAt} is null while the
 * deployment is in it; {@code rollback} marks stages run while rolling back; {@code productionWeight} and
 * {@code testWeight} are the target revision's requested weights on entry (null for headless/rolling).
 */
public record StageVisit(String stage, Instant enteredAt, Instant leftAt, boolean rollback,
                         Double productionWeight, Double testWeight) {
    StageVisit left(Instant at) {
        return new StageVisit(stage, enteredAt, at, rollback, productionWeight, testWeight);
    }
}
