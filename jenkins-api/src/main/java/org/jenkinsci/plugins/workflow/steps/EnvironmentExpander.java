package org.jenkinsci.plugins.workflow.steps;

import hudson.EnvVars;
import hudson.model.TaskListener;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Stand-in. */
public abstract class EnvironmentExpander implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public EnvironmentExpander() {
    }

    public abstract void expand(EnvVars env) throws java.io.IOException, InterruptedException;

    public Set<String> getSensitiveVariables() {
        return Collections.emptySet();
    }

    /** Applies {@code original}, then {@code subsequent}. */
    public static EnvironmentExpander merge(EnvironmentExpander original, EnvironmentExpander subsequent) {
        if (original == null) {
            return subsequent;
        }
        if (subsequent == null) {
            return original;
        }
        return new Merged(original, subsequent);
    }

    /** As withEnv does: override the given variables (empty value removes, PATH+X prepends). */
    public static EnvironmentExpander constant(Map<String, String> env) {
        return new Constant(env);
    }

    /** Base, then contextual overrides, then the expander (docs/jenkins-behaviour.md "Bodies"; contributors not emulated). */
    public static EnvVars getEffectiveEnvironment(EnvVars customEnvironment, EnvVars contextualEnvironment,
            EnvironmentExpander expander, StepContext context, TaskListener listener) throws java.io.IOException, InterruptedException {
        EnvVars env = new EnvVars(customEnvironment);
        if (contextualEnvironment != null) {
            env.overrideAll(contextualEnvironment);
        }
        if (expander != null) {
            expander.expand(env);
        }
        return env;
    }

    private static final class Merged extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;
        private final EnvironmentExpander original;
        private final EnvironmentExpander subsequent;

        Merged(EnvironmentExpander original, EnvironmentExpander subsequent) {
            this.original = original;
            this.subsequent = subsequent;
        }

        @Override
        public void expand(EnvVars env) throws java.io.IOException, InterruptedException {
            original.expand(env);
            subsequent.expand(env);
        }

        @Override
        public Set<String> getSensitiveVariables() {
            Set<String> s = new LinkedHashSet<>(original.getSensitiveVariables());
            s.addAll(subsequent.getSensitiveVariables());
            return s;
        }
    }

    private static final class Constant extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> env;

        Constant(Map<String, String> env) {
            this.env = new TreeMap<>(env);
        }

        @Override
        public void expand(EnvVars all) {
            all.overrideAll(env);
        }
    }
}
