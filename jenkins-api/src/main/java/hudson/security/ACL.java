package hudson.security;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;

/**
 * Stand-in: answers for the current user of {@link StandInJenkins}. The real ACL works on Spring Security
 * Authentication objects (hasPermission2), which are not on the stand-in's class path; plugin code must only use
 * the final {@link #checkPermission} / {@link #hasPermission} (or AccessControlled's defaults).
 */
public abstract class ACL {
    public ACL() {
    }

    public final boolean hasPermission(Permission p) {
        return StandInJenkins.isAllowed(StandInJenkins.currentUserId(), p);
    }

    /** Fails like core: "&lt;user&gt; is missing the &lt;Group&gt;/&lt;Name&gt; permission". */
    public final void checkPermission(Permission p) {
        if (!hasPermission(p)) {
            String who = StandInJenkins.currentUserId() == null ? "anonymous" : StandInJenkins.currentUserId();
            throw new StandInJenkins.AccessDenied(who + " is missing the " + p.group() + "/" + p.name + " permission");
        }
    }
}
