package io.jenkins.plugins.ecsdeploy.engine;

import java.util.List;

/** CloudWatch alarms ECS watches during the deployment; rollback = roll back when one fires. */
public record Alarms(List<String> names, boolean rollback) {
    public Alarms {
        names = names == null ? List.of() : List.copyOf(names);
    }
}
