package hudson.security;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import jenkins.model.IdStrategy;

/** Stand-in: only the id strategies (case-insensitive by default, as core). */
public abstract class SecurityRealm implements Describable<SecurityRealm>, ExtensionPoint {
    /** Every logged-in user carries this authority (core SecurityRealm.java:942). */
    public static final org.springframework.security.core.GrantedAuthority AUTHENTICATED_AUTHORITY2 =
            new org.springframework.security.core.authority.SimpleGrantedAuthority("authenticated");

    public SecurityRealm() {
    }

    public IdStrategy getUserIdStrategy() {
        return IdStrategy.CASE_INSENSITIVE;
    }

    public IdStrategy getGroupIdStrategy() {
        return getUserIdStrategy();
    }
}
