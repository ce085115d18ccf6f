package io.jenkins.plugins.ecsdeploy.plugin.harness;

import groovy.lang.GroovyObject;
import groovy.lang.MetaClass;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.io.IOException;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.jenkinsci.plugins.workflow.cps.CpsScript;

/**
 * The script object {@link GroovyPipeline} hands to global variables (what {@code this} is in a Jenkinsfile). The
 * stand-in {@link CpsScript} is no {@code groovy.lang.Script} (see its comment), so this subclass makes it a Groovy
 * object: calls and property reads from Groovy reach CpsScript's {@code invokeMethod}/{@code getProperty}, with the real
 * lookup order. GroovyPipeline compiles a Groovy subclass of it, so {@code getClass().getClassLoader()} is the script's
 * Groovy class loader, as in Pipeline (a global variable loads its .groovy resources through it).
 */
public abstract class HarnessCpsScript extends CpsScript implements GroovyObject {
    private transient MetaClass metaClass;

    protected HarnessCpsScript() throws IOException {
        super();
    }

    @Override
    public MetaClass getMetaClass() {
        if (metaClass == null) {
            metaClass = InvokerHelper.getMetaClass(getClass());
        }
        return metaClass;
    }

    @Override
    public void setMetaClass(MetaClass metaClass) {
        this.metaClass = metaClass;
    }

    @Override
    public void setProperty(String propertyName, Object newValue) {
        StandInJenkins.scriptVariables(this).put(propertyName, newValue);
    }
}
