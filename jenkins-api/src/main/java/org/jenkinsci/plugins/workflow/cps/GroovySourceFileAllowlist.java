package org.jenkinsci.plugins.workflow.cps;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import java.util.List;

/**
 * Stand-in of workflow-cps' allowlist of Groovy source files
 * (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/GroovySourceFileAllowlist.java:58-73):
 * the class loader of a Pipeline's trusted shell returns no {@code .groovy} resource from the class path unless an
 * extension of this type allows its URL (ibid. 109-120; CpsGroovyShellFactory.java:115 installs that loader). A plugin
 * whose global variable loads a {@code .groovy} file through the script's class loader must register one.
 */
public abstract class GroovySourceFileAllowlist implements ExtensionPoint {
    public GroovySourceFileAllowlist() {
    }

    /** Whether the Groovy source file at {@code groovySourceFileUrl} (as {@link ClassLoader#getResource} returns it) may be loaded. */
    public abstract boolean isAllowed(String groovySourceFileUrl);

    public static List<GroovySourceFileAllowlist> all() {
        return ExtensionList.lookup(GroovySourceFileAllowlist.class);
    }
}
