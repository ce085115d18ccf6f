package org.jenkinsci.plugins.workflow.steps;

import java.util.Collections;
import java.util.List;

/** Stand-in: message as in docs/jenkins-behaviour.md "Order of checks" (without the provider suggestion list). */
public class MissingContextVariableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Class<?> type;
    private final transient StepDescriptor descriptor;

    public MissingContextVariableException(Class<?> type, StepDescriptor descriptor) {
        this.type = type;
        this.descriptor = descriptor;
    }

    public Class<?> getType() {
        return type;
    }

    @Override
    public String getMessage() {
        StringBuilder b = new StringBuilder("Required context ").append(type).append(" is missing");
        if (descriptor != null && (type == hudson.FilePath.class || type == hudson.Launcher.class)) {
            b.append("\nPerhaps you forgot to surround the ").append(descriptor.getFunctionName())
                    .append(" step with a step that provides this, such as: node, ws");
        }
        return b.toString();
    }

    public List<StepDescriptor> getProviders() {
        return Collections.emptyList();
    }
}
