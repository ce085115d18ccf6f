package hudson.security;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import jenkins.model.IdStrategy;

/** Stand-in: only the id strategies (case-insensitive by default, as core). */
public abstract class SecurityRealm implements Describable<SecurityRealm>, ExtensionPoint {
    public SecurityRealm() {
    }

    public IdStrategy getUserIdStrategy() {
        return IdStrategy.CASE_INSENSITIVE;
    }

    public IdStrategy getGroupIdStrategy() {
        return getUserIdStrategy();
    }
}
