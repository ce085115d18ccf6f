package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/** Stand-in. */
public abstract class StepDescriptor extends Descriptor<Step> {
    public StepDescriptor() {
    }

    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() {
        return Collections.emptySet();
    }

    public abstract String getFunctionName();

    /** As the real one: every registered step descriptor. */
    public static hudson.ExtensionList<StepDescriptor> all() {
        return hudson.ExtensionList.lookup(StepDescriptor.class);
    }

    public boolean takesImplicitBlockArgument() {
        return false;
    }

    public boolean isAdvanced() {
        return false;
    }

    public boolean isMetaStep() {
        return false;
    }

    /** As the real one: context.get(type) == null for a required class fails (docs/jenkins-behaviour.md "Order of checks" row 6). */
    public final void checkContextAvailability(StepContext c) throws MissingContextVariableException, java.io.IOException, InterruptedException {
        for (Class<?> type : getRequiredContext()) {
            if (c.get(type) == null) {
                throw new MissingContextVariableException(type, this);
            }
        }
    }

    /** As the real one: only a single CharSequence/Number/Boolean/Enum argument is shown ("Snippets and labels" point 5). */
    public String argumentsToString(Map<String, Object> namedArgs) {
        if (namedArgs.size() == 1) {
            Object v = namedArgs.values().iterator().next();
            if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean || v instanceof Enum) {
                return v.toString();
            }
        }
        return null;
    }
}
