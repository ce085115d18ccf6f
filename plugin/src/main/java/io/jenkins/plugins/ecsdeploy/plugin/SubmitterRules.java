package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Item;
import hudson.model.Job;
import hudson.model.User;
import hudson.security.SecurityRealm;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.IdStrategy;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who may decide at a gate; the rules of the {@code input} step's {@code canSettle} (docs/jenkins-behaviour.md "The input step"):
 * without a submitter list, Job/Build on the job; with one, administrators always, otherwise the user id
 * or one of the user's groups must match an entry, compared with the security realm's user and group
 * id strategies (case-insensitive by default).
 */
final class SubmitterRules {
    private SubmitterRules() {}

    /** The person clicking, reduced to what the rules need (so the rules can be tested without Jenkins). */
    record Decider(String userId, String displayName, List<String> groups, boolean administrator, boolean mayBuild,
                   boolean mayCancel) {
        Decider(String userId, String displayName, List<String> groups, boolean administrator, boolean mayBuild) {
            this(userId, displayName, groups, administrator, mayBuild, false);
        }

        /**
         * The current request's authentication, as {@code input} reads it: the name and authorities of
         * {@code Jenkins.getAuthentication2()}
         * (jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/InputStepExecution.java:379-396).
         * Never {@code User.getAuthorities()}: core returns an empty list there unless the caller is an administrator
         * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/User.java:985-989), which refused every
         * non-admin member of an allowed group.
         */
        static Decider current(Job<?, ?> job) {
            Jenkins j = Jenkins.get();
            Authentication a = Jenkins.getAuthentication2();
            List<String> groups = new ArrayList<>();
            for (GrantedAuthority ga : a.getAuthorities()) {
                if (ga.getAuthority() != null) {
                    groups.add(ga.getAuthority());
                }
            }
            User u = User.current();
            boolean admin = !j.isUseSecurity() || j.hasPermission(Jenkins.ADMINISTER);
            return new Decider(a.getName(), u == null ? a.getName() : u.getDisplayName(), groups, admin,
                    job.hasPermission(Item.BUILD), !j.isUseSecurity() || job.hasPermission(Item.CANCEL));
        }
    }

    /** Compares ids the way the security realm does; defaults to case-insensitive (IdStrategy.CASE_INSENSITIVE). */
    interface Ids {
        boolean sameUser(String a, String b);

        boolean sameGroup(String a, String b);

        Ids CASE_INSENSITIVE = new Ids() {
            @Override public boolean sameUser(String a, String b) { return a.equalsIgnoreCase(b); }
            @Override public boolean sameGroup(String a, String b) { return a.equalsIgnoreCase(b); }
        };

        /** The strategies of the running Jenkins' security realm. */
        static Ids ofRealm() {
            SecurityRealm realm = Jenkins.get().getSecurityRealm();
            IdStrategy users = realm.getUserIdStrategy();
            IdStrategy groups = realm.getGroupIdStrategy();
            return new Ids() {
                @Override public boolean sameUser(String a, String b) { return users.equals(a, b); }
                @Override public boolean sameGroup(String a, String b) { return groups.equals(a, b); }
            };
        }
    }

    /** The submitter entries: split on commas and trimmed, blanks dropped. */
    static List<String> entries(String submitter) {
        return Values.list(submitter);
    }

    /** Null when {@code d} may decide; otherwise the refusal text shown to the user (HTTP 403). */
    static String refusal(String submitter, Decider d, Ids ids) {
        return refusal(submitter, d, ids, "decide at this gate");
    }

    /**
     * Who may roll back at a gate (input's Abort): Job/Cancel (or security off), or whoever may decide
     * (jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/InputStepExecution.java:320-330,367-369).
     * Null when allowed, else the refusal text.
     */
    static String abortRefusal(String submitter, Decider d, Ids ids) {
        if (d.mayCancel()) {
            return null;
        }
        String r = refusal(submitter, d, ids);
        return r == null ? null : r.replace("decide at this gate", "roll back at this gate") + " (Job/Cancel also allows rolling back.)";
    }

    /** As {@link #refusal(String, Decider, Ids)}, for another act ({@code what}, e.g. "roll back this deployment"). */
    static String refusal(String submitter, Decider d, Ids ids, String what) {
        List<String> allowed = entries(submitter);
        if (allowed.isEmpty()) {
            return d.mayBuild() || d.administrator() ? null
                    : "You (" + d.userId() + ") need the Job/Build permission on this job to " + what + ".";
        }
        if (d.administrator()) {
            return null;
        }
        for (String a : allowed) {
            if (d.userId() != null && ids.sameUser(a, d.userId())) {
                return null;
            }
            for (String g : d.groups()) {
                if (ids.sameGroup(a, g)) {
                    return null;
                }
            }
        }
        return "You (" + d.userId() + ") are not allowed to " + what + ": it needs to be one of "
                + String.join(", ", allowed) + " (a user or a group), or an administrator.";
    }
}
