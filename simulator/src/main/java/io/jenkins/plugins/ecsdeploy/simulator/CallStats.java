package io.jenkins.plugins.ecsdeploy.simulator;

import java.util.Map;
import java.util.TreeMap;

/** Counts of calls received per operation (faulted calls included), e.g. for "API calls per deployment". Thread-safe. */
public final class CallStats {
    private final Map<String, Long> counts = new TreeMap<>();

    synchronized void record(String operation) {
        counts.merge(operation, 1L, Long::sum);
    }

    /** Calls of one operation, e.g. {@code "DescribeServiceDeployments"}. */
    public synchronized long count(String operation) {
        return counts.getOrDefault(operation, 0L);
    }

    /** All calls received. */
    public synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A snapshot, sorted by operation name. */
    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    public synchronized void reset() {
        counts.clear();
    }
}
