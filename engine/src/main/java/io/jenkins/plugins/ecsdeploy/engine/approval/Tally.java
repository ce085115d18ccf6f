package io.jenkins.plugins.ecsdeploy.engine.approval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The approvals given so far at one gate, each person once: a second approval by the same person (compared with the
 * {@link IdMatcher}, so "Alice" and "alice" are one person in a case-insensitive realm) is not counted again.
 * Immutable; {@link #describe} is the one text every front end shows, e.g.
 * "1 of 2: alice · waiting for one more approver (release-managers)".
 */
public record Tally(List<Approval> approvals) implements Serializable {
    public static final Tally EMPTY = new Tally(List.of());

    public Tally {
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    /** Whether {@code userId} has approved already. */
    public boolean contains(String userId, IdMatcher ids) {
        return approvals.stream().anyMatch(a -> ids.sameUser(a.userId(), userId));
    }

    /** This tally with {@code a} added, or this same tally when that person approved already. */
    public Tally with(Approval a, IdMatcher ids) {
        if (a.userId() == null || contains(a.userId(), ids)) {
            return this;
        }
        List<Approval> l = new ArrayList<>(approvals);
        l.add(a);
        return new Tally(l);
    }

    /** Distinct people who approved. */
    public int count() {
        return approvals.size();
    }

    public boolean met(ApprovalPolicy p) {
        return count() >= p.required();
    }

    /** The approvers' ids in the order they approved, e.g. "alice, bob". */
    public String names() {
        return String.join(", ", approvals.stream().map(Approval::userId).toList());
    }

    /** "1 of 2: alice · waiting for one more approver (release-managers)"; "2 of 2: alice, bob · approved". */
    public String describe(ApprovalPolicy p) {
        String head = count() + " of " + p.required() + (count() == 0 ? "" : ": " + names());
        if (met(p)) {
            return head + " · approved";
        }
        int left = p.required() - count();
        String more = count() == 0 ? "" : "more ";
        return head + " · waiting for " + (left == 1 ? "one " + more + "approver" : words(left) + " " + more + "approvers")
                + " (" + p.approversText() + (p.excludesStarter() ? "; not the starter" : "") + ")";
    }

    private static String words(int n) {
        String[] w = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
        return n >= 0 && n < w.length ? w[n] : Integer.toString(n);
    }
}
