package io.jenkins.plugins.ecsdeploy.engine;

import java.util.List;

/**
 * What {@code plan --check-service} reports, like {@code ecspresso diff} and {@code verify} together: the checks the
 * preflight made against the live service (each passed or not, with what it found), what the deployment would change
 * (task definition, images, deployment configuration) and the plan with the live service's numbers. Reads only
 * (docs/engine.md "2. Preflight"). {@code plan} is null when a check failed.
 */
public record ServiceCheckReport(List<Check> checks, List<Change> changes, DeploymentPlan plan) {
    public ServiceCheckReport {
        checks = List.copyOf(checks);
        changes = List.copyOf(changes);
    }

    /** One preflight check: what it checks, whether it passed, and what was found (or what to do). */
    public record Check(String name, boolean passed, String detail) {}

    /** One thing the deployment changes: {@code what} from {@code from} (null: not set) to {@code to}. */
    public record Change(String what, String from, String to) {}

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }
}
