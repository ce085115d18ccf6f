package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Fault injection on the HTTP front end: throttling, 5xx, added latency (real time) and dropped connections,
 * as rates (seeded randomness, so runs repeat) and as bursts ("the next N calls of operation X").
 * An operation of {@code null} or {@code "*"} means every operation. Thread-safe.
 */
public final class Faults {

    /** What happens to one request. */
    enum Kind { NONE, THROTTLE, SERVER_ERROR, DROP }

    private static final String ANY = "*";
    private final Random random;
    private final Map<String, Double> throttleRate = new HashMap<>();
    private final Map<String, Double> serverErrorRate = new HashMap<>();
    private final Map<String, Double> dropRate = new HashMap<>();
    private final Map<String, Integer> throttleBurst = new HashMap<>();
    private final Map<String, Integer> serverErrorBurst = new HashMap<>();
    private final Map<String, Integer> dropBurst = new HashMap<>();
    private Duration latency = Duration.ZERO;

    Faults(long seed) {
        this.random = new Random(seed);
    }

    /** Fraction (0–1) of calls of {@code operation} (or every operation) answered with ThrottlingException (HTTP 400). */
    public synchronized Faults throttleRate(String operation, double rate) { throttleRate.put(key(operation), rate(rate)); return this; }

    /** Fraction (0–1) of calls answered with ServerException (HTTP 500). */
    public synchronized Faults serverErrorRate(String operation, double rate) { serverErrorRate.put(key(operation), rate(rate)); return this; }

    /** Fraction (0–1) of calls whose connection is closed without an answer. */
    public synchronized Faults dropRate(String operation, double rate) { dropRate.put(key(operation), rate(rate)); return this; }

    /** The next {@code count} calls of {@code operation} (or of any operation) throttle. */
    public synchronized Faults throttleNext(String operation, int count) { throttleBurst.merge(key(operation), count(count), Integer::sum); return this; }

    /** The next {@code count} calls answer ServerException (HTTP 500). */
    public synchronized Faults serverErrorNext(String operation, int count) { serverErrorBurst.merge(key(operation), count(count), Integer::sum); return this; }

    /** The next {@code count} calls lose their connection. */
    public synchronized Faults dropNext(String operation, int count) { dropBurst.merge(key(operation), count(count), Integer::sum); return this; }

    /** Real-time delay added before every answer (default 0). */
    public synchronized Faults latency(Duration d) {
        Objects.requireNonNull(d, "latency");
        if (d.isNegative()) {
            throw new IllegalArgumentException("latency: '" + d + "' is not allowed; >= 0");
        }
        latency = d;
        return this;
    }

    public synchronized Duration latency() { return latency; }

    /** Removes every fault. */
    public synchronized Faults clear() {
        throttleRate.clear();
        serverErrorRate.clear();
        dropRate.clear();
        throttleBurst.clear();
        serverErrorBurst.clear();
        dropBurst.clear();
        latency = Duration.ZERO;
        return this;
    }

    synchronized Kind decide(String operation) {
        if (takeBurst(dropBurst, operation)) {
            return Kind.DROP;
        }
        if (takeBurst(throttleBurst, operation)) {
            return Kind.THROTTLE;
        }
        if (takeBurst(serverErrorBurst, operation)) {
            return Kind.SERVER_ERROR;
        }
        if (roll(dropRate, operation)) {
            return Kind.DROP;
        }
        if (roll(throttleRate, operation)) {
            return Kind.THROTTLE;
        }
        if (roll(serverErrorRate, operation)) {
            return Kind.SERVER_ERROR;
        }
        return Kind.NONE;
    }

    private boolean roll(Map<String, Double> rates, String op) {
        double r = rates.getOrDefault(op, rates.getOrDefault(ANY, 0.0));
        return r > 0 && random.nextDouble() < r;
    }

    private static boolean takeBurst(Map<String, Integer> bursts, String op) {
        for (String k : new String[] {op, ANY}) {
            Integer n = bursts.get(k);
            if (n != null && n > 0) {
                if (n == 1) {
                    bursts.remove(k);
                } else {
                    bursts.put(k, n - 1);
                }
                return true;
            }
        }
        return false;
    }

    private static String key(String op) {
        return op == null || op.isEmpty() ? ANY : op;
    }

    private static double rate(double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("rate: '" + r + "' is not allowed; 0.0 to 1.0");
        }
        return r;
    }

    private static int count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("count: '" + n + "' is not allowed; >= 0");
        }
        return n;
    }
}
