package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsScript;
import org.jenkinsci.plugins.workflow.cps.GlobalVariable;
import org.jenkinsci.plugins.workflow.cps.GroovySourceFileAllowlist;

/**
 * The Pipeline global variable {@code ecsApprove}: its value is {@code EcsApprove.groovy} (shipped next to this class),
 * loaded through the running script's class loader, so Pipeline compiles and runs it like the Jenkinsfile (as
 * docker-workflow ships its {@code docker} variable). A global variable is found before a step of the same name
 * (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/CpsScript.java:110-120),
 * and {@code ecsApprove(…)} calls its {@code call(…)}. docs/approvals.md.
 */
@Extension
public class EcsApproveVariable extends GlobalVariable {
    static final String NAME = "ecsApprove";
    static final String GROOVY_CLASS = "io.jenkins.plugins.ecsdeploy.plugin.EcsApprove";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Object getValue(CpsScript script) throws Exception {
        // a constructor, not a method: Pipeline may call it from CPS-transformed code without @NonCPS
        return script.getClass().getClassLoader().loadClass(GROOVY_CLASS).getConstructor(Object.class).newInstance(script);
    }

    /**
     * Lets Pipeline load our two Groovy sources (this variable's and {@link EcsDnsCutoverVariable}'s). workflow-cps
     * hides every {@code .groovy} file on the class path from a build's class loader unless an allowlist extension
     * accepts its URL (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/GroovySourceFileAllowlist.java:69,109-120);
     * without this, {@code ecsApprove} fails with ClassNotFoundException in a real Jenkins (docs/approvals.md).
     */
    @Extension
    public static class GroovySources extends GroovySourceFileAllowlist {
        static final List<String> FILES = List.of(
                "/" + GROOVY_CLASS.replace('.', '/') + ".groovy",
                "/" + EcsDnsCutoverVariable.GROOVY_CLASS.replace('.', '/') + ".groovy");

        @Override
        public boolean isAllowed(String groovySourceFileUrl) {
            return groovySourceFileUrl != null && FILES.stream().anyMatch(groovySourceFileUrl::endsWith);
        }
    }
}
