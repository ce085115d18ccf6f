package hudson.security;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import jenkins.model.Jenkins;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Stand-in: answers from {@link StandInJenkins}' grants for a Spring {@link Authentication}, like core: the final
 * {@link #hasPermission(Permission)} asks {@link #hasPermission2} for {@code Jenkins.getAuthentication2()}, the
 * calling thread's authentication, and {@link #SYSTEM2} passes every check
 * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/security/ACL.java:132-140, 374).
 */
public abstract class ACL {
    public static final String ANONYMOUS_USERNAME = "anonymous";
    public static final String SYSTEM_USERNAME = "SYSTEM";
    public static final Authentication SYSTEM2 = new UsernamePasswordAuthenticationToken(SYSTEM_USERNAME, "SYSTEM");

    public ACL() {
    }

    public final boolean hasPermission(Permission p) {
        Authentication a = Jenkins.getAuthentication2();
        if (a.equals(SYSTEM2)) {
            return true;
        }
        return hasPermission2(a, p);
    }

    public boolean hasPermission2(Authentication a, Permission p) {
        return StandInJenkins.isAllowed(a, p);
    }

    /** Fails like core: "&lt;user&gt; is missing the &lt;Group&gt;/&lt;Name&gt; permission". */
    public final void checkPermission(Permission p) {
        if (!hasPermission(p)) {
            throw new StandInJenkins.AccessDenied(Jenkins.getAuthentication2().getName() + " is missing the "
                    + p.group() + "/" + p.name + " permission");
        }
    }
}
