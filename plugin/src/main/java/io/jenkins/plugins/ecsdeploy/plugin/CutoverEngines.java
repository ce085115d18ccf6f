package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEngine;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One {@link CutoverEngine} per deployment engine of {@link EngineRegistry}: the same credentials, role, region,
 * endpoint, proxy and scheduler (its {@code config()}), and the deployment engine for "deploy green first". Its threads
 * time out when idle; an entry goes when the registry drops its deployment engine.
 */
final class CutoverEngines {
    private static final Map<DeploymentEngine, CutoverEngine> ENGINES = new WeakHashMap<>();

    private CutoverEngines() {}

    static synchronized CutoverEngine of(DeploymentEngine engine) {
        return ENGINES.computeIfAbsent(engine, e -> new CutoverEngine(e.config()).greenDeployments(e));
    }
}
