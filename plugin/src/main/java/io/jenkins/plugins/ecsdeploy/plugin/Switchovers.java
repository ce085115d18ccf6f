package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.switchover.FlagStore;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SsmFlagStore;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverFollower;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * The switchover follower of a deployment engine of {@link EngineRegistry}: its flag store is SSM with the same
 * credentials, role, region, endpoint and proxy as the engine (its {@code config()}); flag I/O runs on the plugin's
 * executor (docs/cutovers.md "2. Switchover flag"). An entry goes when the registry drops its deployment engine.
 */
final class Switchovers {
    private static final Map<DeploymentEngine, FlagStore> STORES = new WeakHashMap<>();
    /** Tests: where the flags live (the ECS simulator has no SSM). Null = SSM. */
    private static volatile Function<DeploymentEngine, FlagStore> storesForTests;

    private Switchovers() {}

    static synchronized FlagStore flags(DeploymentEngine engine) {
        Function<DeploymentEngine, FlagStore> f = storesForTests;
        return STORES.computeIfAbsent(engine, e -> f != null ? f.apply(e) : SsmFlagStore.create(e.config()));
    }

    static SwitchoverFollower follower(DeploymentEngine engine) {
        return new SwitchoverFollower(engine, flags(engine), PluginExecutors.io());
    }

    static synchronized void useForTests(Function<DeploymentEngine, FlagStore> stores) {
        storesForTests = stores;
        STORES.clear();
    }
}
