package hudson.model;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Stand-in: a user is an id (and a full name the test may set). {@link #current()} is the user of the calling
 * thread's authentication, and {@link #getAuthorities()} behaves as core's: an empty list unless the CALLER holds
 * Overall/Administer (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/User.java:985-1007).
 */
public class User {
    private final String id;
    private final String fullName;

    private User(String id, String fullName) {
        this.id = id;
        this.fullName = fullName;
    }

    /** The user of {@code Jenkins.getAuthentication2()}; null when anonymous (core User.java:646-664). */
    public static User current() {
        Authentication a = Jenkins.getAuthentication2();
        if (a instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return getById(a.getName(), true);
    }

    public static User getById(String id, boolean create) {
        if (id == null) {
            return null;
        }
        return new User(id, StandInJenkins.fullNameOf(id));
    }

    public String getId() {
        return id;
    }

    public String getFullName() {
        return fullName;
    }

    /** What the security realm would log this user in with. */
    public Authentication impersonate2() {
        return StandInJenkins.authenticationOf(id);
    }

    /**
     * As core: empty unless the caller is an administrator; otherwise the user's groups without
     * {@code authenticated}, sorted case-insensitively.
     */
    public List<String> getAuthorities() {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return Collections.emptyList();
        }
        List<String> r = new ArrayList<>();
        for (GrantedAuthority a : impersonate2().getAuthorities()) {
            String n = a.getAuthority();
            if (n != null && !n.equals("authenticated") && !n.equals(id)) {
                r.add(n);
            }
        }
        r.sort(String.CASE_INSENSITIVE_ORDER);
        return r;
    }

    public String getDisplayName() {
        return getFullName();
    }

    @Override
    public String toString() {
        return fullName;
    }
}
