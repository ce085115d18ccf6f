package io.jenkins.plugins.ecsdeploy.engine;

import java.util.List;

/**
 * A user Lambda lifecycle hook (Lambda-hook page, docs/engine.md "1. Validation (offline)"). timeoutMinutes (1-1440)/timeoutAction null = ECS default
 * (1440 min, ROLLBACK). hookDetailsJson: an optional JSON object passed to the function.
 */
public record LambdaHook(String functionArn, String roleArn, List<String> stages, String hookDetailsJson,
                         Integer timeoutMinutes, HookAction timeoutAction) {
    public LambdaHook {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }
}
