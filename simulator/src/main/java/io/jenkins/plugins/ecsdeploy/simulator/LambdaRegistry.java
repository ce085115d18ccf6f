package io.jenkins.plugins.ecsdeploy.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process Lambda functions keyed by function ARN. A hook whose function is not registered fails (as an
 * invocation error would) and the deployment rolls back. Every invocation is recorded.
 */
public final class LambdaRegistry {
    private final Map<String, LambdaHandler> handlers = new ConcurrentHashMap<>();
    private final List<LambdaEvent> invocations = Collections.synchronizedList(new ArrayList<>());

    public LambdaRegistry register(String functionArn, LambdaHandler handler) {
        handlers.put(Objects.requireNonNull(functionArn, "functionArn"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    public LambdaRegistry unregister(String functionArn) {
        handlers.remove(functionArn);
        return this;
    }

    /** Every invocation so far, in order. */
    public List<LambdaEvent> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    /** Invocations of one function, in order. */
    public List<LambdaEvent> invocations(String functionArn) {
        synchronized (invocations) {
            return invocations.stream().filter(e -> e.functionArn().equals(functionArn)).toList();
        }
    }

    LambdaHandler handler(String functionArn) {
        return handlers.get(functionArn);
    }

    void record(LambdaEvent e) {
        invocations.add(e);
    }
}
