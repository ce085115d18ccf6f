package io.jenkins.plugins.ecsdeploy.engine.approval;

import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may decide at a gate, shared by every front end (Pipeline, freestyle, the build's pages, the CLI):
 * <ul>
 *   <li>{@code approvers}: users or groups who may approve (empty: anyone with Job/Build; administrators always);</li>
 *   <li>{@code required}: how many <em>distinct</em> people must approve before the deployment continues (the same
 *       person approving twice counts once);</li>
 *   <li>{@code notBy}: users who may not approve, and the word {@code starter} for the user who started the build
 *       ("four eyes") — it binds administrators too;</li>
 *   <li>{@code rollbackBy}: users or groups who may roll back at the gate (empty: anyone with Job/Build or Job/Cancel,
 *       or anyone who may approve). Rolling back is never refused to the starter: stopping a release is always safe.</li>
 * </ul>
 * A value type with no Jenkins types (docs/approvals.md "Approval policy"); rules are applied by {@link #continueRefusal}
 * and {@link #rollbackRefusal}, the count by {@link Tally}.
 */
public record ApprovalPolicy(List<String> approvers, int required, List<String> notBy, List<String> rollbackBy)
        implements Serializable {
    /** The word in {@code notBy} that means "the user who started the build". */
    public static final String STARTER = "starter";
    /** Most approvals a gate may require (a gate waits at most 14 days; more people than this is a committee). */
    public static final int MAX_REQUIRED = 10;
    /** Longest user or group id accepted in a list. */
    public static final int MAX_ENTRY = 128;
    /** No policy beyond the defaults: one approval by anyone with Job/Build. */
    public static final ApprovalPolicy ANYONE = new ApprovalPolicy(List.of(), 1, List.of(), List.of());

    public ApprovalPolicy {
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        notBy = notBy == null ? List.of() : List.copyOf(notBy);
        rollbackBy = rollbackBy == null ? List.of() : List.copyOf(rollbackBy);
    }

    /** From the texts of a step, form or command line: comma-separated lists, {@code required} null = 1. Not checked. */
    public static ApprovalPolicy of(String approvers, Integer required, String notBy, String rollbackBy) {
        return new ApprovalPolicy(split(approvers), required == null ? 1 : required, split(notBy), split(rollbackBy));
    }

    /** Comma-separated, trimmed, blanks dropped. */
    public static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** True when more than the input's single answer is needed: a quorum, four eyes, excluded users or own rollback rights. */
    public boolean isPolicy() {
        return required > 1 || !notBy.isEmpty() || !rollbackBy.isEmpty();
    }

    public boolean excludesStarter() {
        return notBy.stream().anyMatch(STARTER::equalsIgnoreCase);
    }

    /** The named users of {@code notBy} (without the word {@code starter}). */
    public List<String> excludedUsers() {
        return notBy.stream().filter(s -> !STARTER.equalsIgnoreCase(s)).toList();
    }

    public String approversText() {
        return approvers.isEmpty() ? "anyone with Job/Build" : String.join(", ", approvers);
    }

    /** Problems with the default field names ({@code approvers}, {@code required}, {@code notBy}, {@code rollbackBy}). */
    public List<ValidationProblem> validate() {
        return validate("approvers", "required", "notBy", "rollbackBy");
    }

    /** Every problem, each naming the caller's own field (a step argument or a CLI flag). No AWS call. */
    public List<ValidationProblem> validate(String approversField, String requiredField, String notByField, String rollbackByField) {
        List<ValidationProblem> p = new ArrayList<>();
        if (required < 1 || required > MAX_REQUIRED) {
            p.add(new ValidationProblem(requiredField, Integer.toString(required),
                    "a number of distinct approvers from 1 to " + MAX_REQUIRED));
        }
        entries(p, approversField, approvers, "user or group ids");
        entries(p, notByField, notBy, "user ids, or 'starter' for the user who started the build");
        entries(p, rollbackByField, rollbackBy, "user or group ids");
        if (!approvers.isEmpty() && !excludedUsers().isEmpty()) {
            List<String> left = new ArrayList<>(approvers);
            left.removeIf(a -> excludedUsers().stream().anyMatch(a::equalsIgnoreCase));
            if (left.isEmpty()) {
                p.add(new ValidationProblem(notByField, String.join(", ", notBy),
                        "not every approver: nobody would be left to approve (" + approversField + ": " + approversText() + ")"));
            }
        }
        return p;
    }

    /** Throws {@link InvalidRequestException} naming every problem. */
    public ApprovalPolicy check() {
        List<ValidationProblem> p = validate();
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
        return this;
    }

    private static void entries(List<ValidationProblem> p, String field, List<String> list, String what) {
        for (String e : list) {
            if (e.length() > MAX_ENTRY || SafeText.hasUnsafeCharacters(e)) {
                p.add(new ValidationProblem(field, e, "comma-separated " + what + " of at most " + MAX_ENTRY
                        + " printable characters each"));
            }
        }
    }

    /**
     * Null when {@code v} may approve; otherwise the refusal shown to them. {@code starter} is the user who started the
     * build (null: none, e.g. a timer started it). Four eyes and {@code notBy} come first and bind administrators too.
     */
    public String continueRefusal(Voter v, String starter, IdMatcher ids) {
        String who = v.userId() == null ? "anonymous" : v.userId();
        if (excludesStarter() && starter != null && v.userId() != null && ids.sameUser(starter, v.userId())) {
            return "You (" + who + ") started this build and may not approve it: this gate needs someone else's approval"
                    + " (notBy: starter)" + (approvers.isEmpty() ? "." : "; ask one of " + approversText() + ".");
        }
        for (String u : excludedUsers()) {
            if (v.userId() != null && ids.sameUser(u, v.userId())) {
                return "You (" + who + ") may not approve at this gate (notBy: " + String.join(", ", notBy) + ").";
            }
        }
        return memberRefusal(approvers, v, ids, "approve at this gate", v.mayBuild());
    }

    /** Null when {@code v} may roll back at the gate; otherwise the refusal shown to them. */
    public String rollbackRefusal(Voter v, IdMatcher ids) {
        if (rollbackBy.isEmpty()) {
            if (v.mayBuild() || v.mayCancel() || v.administrator()) {
                return null;
            }
            if (!approvers.isEmpty() && memberRefusal(approvers, v, ids, "", false) == null) {
                return null;
            }
            return "You (" + (v.userId() == null ? "anonymous" : v.userId())
                    + ") need the Job/Build or Job/Cancel permission on this job to roll back at this gate.";
        }
        return memberRefusal(rollbackBy, v, ids, "roll back at this gate", false);
    }

    /** The rule of the input step's submitter list: administrators always, else the id or a group must match. */
    private static String memberRefusal(List<String> allowed, Voter v, IdMatcher ids, String what, boolean anyoneWithBuild) {
        if (v.administrator()) {
            return null;
        }
        String who = v.userId() == null ? "anonymous" : v.userId();
        if (allowed.isEmpty()) {
            return anyoneWithBuild ? null : "You (" + who + ") need the Job/Build permission on this job to " + what + ".";
        }
        for (String a : allowed) {
            if (v.userId() != null && ids.sameUser(a, v.userId())) {
                return null;
            }
            for (String g : v.groups()) {
                if (ids.sameGroup(a, g)) {
                    return null;
                }
            }
        }
        return "You (" + who + ") are not allowed to " + what + ": it needs to be one of " + String.join(", ", allowed)
                + " (a user or a group), or an administrator.";
    }
}
