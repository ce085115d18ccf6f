package io.jenkins.plugins.ecsdeploy.engine.release;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a restart needs to take a release over again — ids only (docs/releases.md "Restarts"): the wave reached, each
 * started deployment's ARN, each service's previous task definition (what a revert deploys), each revert's ARN, the
 * waves whose gate was continued, and whether (and why) the release is rolling back.
 */
public record ReleaseCheckpoint(int wave, Map<String, String> deploymentArns, Map<String, String> previousTaskDefinitions,
                                Map<String, String> revertArns, Set<Integer> wavesContinued, boolean rollingBack,
                                String causeService, String reason) implements Serializable {
    public ReleaseCheckpoint {
        deploymentArns = deploymentArns == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deploymentArns));
        previousTaskDefinitions = previousTaskDefinitions == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(previousTaskDefinitions));
        revertArns = revertArns == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(revertArns));
        wavesContinued = wavesContinued == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(wavesContinued));
    }

    public static final ReleaseCheckpoint START = new ReleaseCheckpoint(0, null, null, null, null, false, null, null);
}
