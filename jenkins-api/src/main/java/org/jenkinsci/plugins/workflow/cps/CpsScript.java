package org.jenkinsci.plugins.workflow.cps;

import groovy.lang.GroovyObject;
import groovy.lang.MissingPropertyException;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.io.IOException;
import java.util.Map;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.InvokerInvocationException;

/**
 * Stand-in of the base class of every Pipeline script, with the real lookup order of a method call and a property
 * (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/CpsScript.java):
 * {@code invokeMethod(name, args)} calls a binding variable that responds to {@code call}, else a {@link GlobalVariable}
 * of that name ({@code value.call(args)}), else the step through the binding's {@code steps} object (:92-125);
 * {@code getProperty} falls back to a global variable (:127-154).
 *
 * <p>The real class is a {@code groovy.lang.Script} through groovy-cps' {@code SerializableScript}; groovy-cps does not
 * resolve here and the API check refuses a supertype it cannot follow, so the stand-in extends Object and keeps its
 * binding (the script's variables) with {@link StandInJenkins#scriptVariables}. The Pipeline harness runs scripts under
 * plain Groovy 2.4.21 with a Groovy subclass of this class, not under the CPS interpreter
 * (docs/jenkins-stand-in.md "Fidelity limits").
 */
public abstract class CpsScript {
    public CpsScript() throws IOException {
    }

    public final Object invokeMethod(String name, Object args) {
        Map<String, Object> binding = StandInJenkins.scriptVariables(this);
        Object[] argv = args instanceof Object[] ? (Object[]) args : new Object[] {args};
        Object o = binding.get(name);
        if (o != null && !InvokerHelper.getMetaClass(o).respondsTo(o, "call", argv).isEmpty()) {
            return InvokerHelper.getMetaClass(o).invokeMethod(o, "call", argv);
        }
        GlobalVariable v = GlobalVariable.byName(name, $buildNoException());
        if (v != null) {
            try {
                Object value = v.getValue(this);
                return InvokerHelper.getMetaClass(value).invokeMethod(value, "call", argv);
            } catch (RuntimeException x) {
                throw x;
            } catch (Exception x) {
                throw new InvokerInvocationException(x);
            }
        }
        GroovyObject steps = (GroovyObject) binding.get("steps");
        return steps.invokeMethod(name, argv);
    }

    public Object getProperty(String property) {
        Map<String, Object> binding = StandInJenkins.scriptVariables(this);
        if (binding.containsKey(property)) {
            return binding.get(property);
        }
        GlobalVariable v = GlobalVariable.byName(property, $buildNoException());
        if (v != null) {
            try {
                return v.getValue(this);
            } catch (Exception x) {
                throw new InvokerInvocationException(x);
            }
        }
        throw new MissingPropertyException(property, getClass());
    }

    /** The build this script runs in (the harness tells the stand-in which). */
    public Run<?, ?> $build() throws IOException {
        return StandInJenkins.runOf(this);
    }

    public Run<?, ?> $buildNoException() {
        return StandInJenkins.runOf(this);
    }
}
