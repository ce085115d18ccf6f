package io.jenkins.plugins.ecsdeploy.engine.approval;

/**
 * How user and group ids are compared. Jenkins compares them with its security realm's id strategies
 * (case-insensitive unless the realm says otherwise); the CLI has no realm and compares case-insensitively.
 */
public interface IdMatcher {
    boolean sameUser(String a, String b);

    boolean sameGroup(String a, String b);

    /** The default of Jenkins' security realms (IdStrategy.CASE_INSENSITIVE) and the CLI's rule. */
    IdMatcher CASE_INSENSITIVE = new IdMatcher() {
        @Override public boolean sameUser(String a, String b) { return a != null && a.equalsIgnoreCase(b); }
        @Override public boolean sameGroup(String a, String b) { return a != null && a.equalsIgnoreCase(b); }
    };
}
