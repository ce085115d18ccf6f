package io.jenkins.plugins.ecsdeploy.engine.approval;

import java.util.List;

/**
 * The person deciding at a gate, reduced to what the policy needs: the id, the groups (in Jenkins the authorities of
 * the request's own authentication, as the {@code input} step reads them — docs/approvals.md "Who may decide"),
 * whether they administer, and whether they hold Job/Build and Job/Cancel on the job. The CLI knows only the id.
 */
public record Voter(String userId, String displayName, List<String> groups, boolean administrator, boolean mayBuild,
                    boolean mayCancel) {
    public Voter {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A caller known by id only (the CLI, or an input's answer whose rights the input already checked). */
    public static Voter named(String userId) {
        return new Voter(userId, userId, List.of(), false, false, false);
    }
}
