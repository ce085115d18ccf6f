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
    /** Tests: the cutover engine of a deployment engine (Route 53 in moto while ECS is the simulator). Null = the default. */
    private static volatile java.util.function.Function<DeploymentEngine, CutoverEngine> factoryForTests;

    private CutoverEngines() {}

    static synchronized CutoverEngine of(DeploymentEngine engine) {
        java.util.function.Function<DeploymentEngine, CutoverEngine> f = factoryForTests;
        return ENGINES.computeIfAbsent(engine, e -> (f != null ? f.apply(e) : new CutoverEngine(e.config())).greenDeployments(e));
    }

    static synchronized void useForTests(java.util.function.Function<DeploymentEngine, CutoverEngine> factory) {
        factoryForTests = factory;
        ENGINES.values().forEach(CutoverEngine::close);
        ENGINES.clear();
    }
}
