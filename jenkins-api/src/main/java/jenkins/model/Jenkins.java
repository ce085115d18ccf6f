package jenkins.model;

import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;

/**
 * Stand-in: the instance a test installed with {@link StandInJenkins#install()}; its ACL follows the grants
 * set there, and its descriptors/extensions are those registered there.
 */
public class Jenkins implements AccessControlled {
    public static final Permission ADMINISTER = Permission.fromId("hudson.model.Hudson.Administer");
    public static final Permission READ = Permission.fromId("hudson.model.Hudson.Read");
    /** As core (Jenkins.java:5934): the authentication of a request nobody logged in to. */
    public static final org.springframework.security.core.Authentication ANONYMOUS2 =
            new org.springframework.security.authentication.AnonymousAuthenticationToken("anonymous", "anonymous",
                    java.util.Set.of(new org.springframework.security.core.authority.SimpleGrantedAuthority("anonymous")));

    private Jenkins(Void marker) {
    }

    /** Used only by {@link StandInJenkins}. */
    static Jenkins newStandIn() {
        return new Jenkins(null);
    }

    public static Jenkins get() throws IllegalStateException {
        Jenkins j = getInstanceOrNull();
        if (j == null) {
            throw new IllegalStateException("Jenkins.instance is missing. Read the documentation of Jenkins.getInstanceOrNull to see what you are doing wrong.");
        }
        return j;
    }

    public static Jenkins getInstanceOrNull() {
        return StandInJenkins.instance();
    }

    @Deprecated
    public static Jenkins getInstance() {
        return get();
    }

    /**
     * The calling thread's authentication, ANONYMOUS2 when there is none: what core reads
     * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/jenkins/model/Jenkins.java:4819-4828).
     */
    public static org.springframework.security.core.Authentication getAuthentication2() {
        org.springframework.security.core.Authentication a =
                org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        return a == null ? ANONYMOUS2 : a;
    }

    /** The proxy of Manage Jenkins » Plugins » Advanced (null when none is configured). */
    public hudson.ProxyConfiguration getProxy() {
        return StandInJenkins.proxy();
    }

    @Override
    public ACL getACL() {
        return StandInJenkins.acl();
    }

    public boolean isUseSecurity() {
        return StandInJenkins.isSecured();
    }

    /** The realm a test set with StandInJenkins.setSecurityRealm; by default one with case-insensitive ids. */
    public hudson.security.SecurityRealm getSecurityRealm() {
        return StandInJenkins.securityRealm();
    }

    public String getRootUrl() {
        return StandInJenkins.rootUrl();
    }

    public Descriptor getDescriptor(Class<? extends Describable> type) {
        for (Object o : StandInJenkins.extensions()) {
            if (o instanceof Descriptor && ((Descriptor<?>) o).clazz == type) {
                return (Descriptor) o;
            }
        }
        return null;
    }

    public Descriptor getDescriptorOrDie(Class<? extends Describable> type) {
        Descriptor d = getDescriptor(type);
        if (d == null) {
            throw new AssertionError(type + " is missing its descriptor");
        }
        return d;
    }

    public <T extends Descriptor> T getDescriptorByType(Class<T> type) {
        for (Object o : StandInJenkins.extensions()) {
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        return null;
    }

    public <T> hudson.ExtensionList<T> getExtensionList(Class<T> type) {
        return hudson.ExtensionList.lookup(type);
    }

    public static <T> T lookup(Class<T> type) {
        return null;
    }
}
