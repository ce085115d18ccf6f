package io.jenkins.plugins.ecsdeploy.plugin.harness;

import groovy.lang.Script;

/**
 * The base class GroovyPipeline compiles a Jenkinsfile with: every method call and unknown property goes to the
 * {@link HarnessCpsScript} (CpsScript's lookup order: binding variables, global variables, steps).
 */
public abstract class JenkinsfileScript extends Script {
    HarnessCpsScript cps;

    @Override
    public Object invokeMethod(String name, Object args) {
        return cps.invokeMethod(name, args);
    }

    @Override
    public Object getProperty(String property) {
        if (getBinding().hasVariable(property)) {
            return getBinding().getVariable(property);
        }
        return cps.getProperty(property);
    }
}
