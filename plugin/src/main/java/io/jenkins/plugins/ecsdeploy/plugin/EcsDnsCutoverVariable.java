package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import org.jenkinsci.plugins.workflow.cps.CpsScript;
import org.jenkinsci.plugins.workflow.cps.GlobalVariable;

/**
 * The Pipeline global variable {@code ecsDnsCutover}: its value is {@code EcsDnsCutover.groovy}, loaded through the
 * running script's class loader like {@link EcsApproveVariable}. A global variable is found before a step of the same
 * name (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/CpsScript.java:110-120),
 * so {@code ecsDnsCutover(…)} — also as the Snippet Generator writes it for {@link EcsDnsCutoverStep} — runs the block
 * step {@code ecsDnsCutoverRun} with an {@code input} as its body: each gate between steps is a Jenkins input.
 */
@Extension
public class EcsDnsCutoverVariable extends GlobalVariable {
    static final String NAME = "ecsDnsCutover";
    static final String GROOVY_CLASS = "io.jenkins.plugins.ecsdeploy.plugin.EcsDnsCutover";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Object getValue(CpsScript script) throws Exception {
        return script.getClass().getClassLoader().loadClass(GROOVY_CLASS).getConstructor(Object.class).newInstance(script);
    }
}
