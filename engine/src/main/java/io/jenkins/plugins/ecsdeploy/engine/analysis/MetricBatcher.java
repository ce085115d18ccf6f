package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * One engine's GetMetricData traffic: the queries of every deployment's measurement that covers the same window are
 * sent together, at most {@link #MAX_QUERIES} per call — "A GetMetricData operation that does not include a query can
 * retrieve as many as 500 different metrics in a single request" (GetMetricData, CloudWatch API reference,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html). StartTime and EndTime
 * belong to the whole call, so only queries of one window can share a call; the analyses align their windows to whole
 * minutes so that deployments measuring in the same minute do. A unit (the queries of one measurement of one window: a
 * metric math expression and its inputs must travel together) is never split across calls.
 *
 * <p>No thread of its own: the first unit of a window schedules one flush {@link #COALESCE} later on the engine's
 * {@link Scheduler}; the flush runs the calls on the given I/O executor. docs/analysis.md "Cost".
 */
final class MetricBatcher {
    private static final Logger LOG = Logger.getLogger(MetricBatcher.class.getName());
    static final int MAX_QUERIES = 500;
    /** Units of one window that arrive within this time (engine clock) share calls. */
    static final Duration COALESCE = Duration.ofSeconds(2);

    /** The queries of one measurement window of one deployment; ids unique in the engine ({@link #nextId()}). */
    record Unit(List<MetricDataQuery> queries, Consumer<Map<String, List<Double>>> done, Consumer<String> failed) {}

    private record Window(Instant start, Instant end) {}

    private final Scheduler scheduler;
    private final Executor io;
    private final MetricsSource source;
    private final Map<Window, List<Unit>> pending = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong queries = new AtomicLong();
    final AtomicLong failedCalls = new AtomicLong();
    volatile int maxQueriesInOneCall;

    MetricBatcher(Scheduler scheduler, Executor io, MetricsSource source) {
        this.scheduler = scheduler;
        this.io = io;
        this.source = source;
    }

    /** A query id unique in this engine: GetMetricData wants a lowercase letter first, then letters, digits, '_'. */
    String nextId() {
        return "q" + ids.incrementAndGet();
    }

    /**
     * Adds a unit to its window's next call. {@code due} is when the unit was meant to be read (the same instant for every
     * deployment measuring this window): the call goes out {@link #COALESCE} after it, an instant on the engine's clock
     * rather than "2 s after the first unit arrived", so units whose tasks ran late (a busy machine, a scaled clock) still
     * join the call; a unit submitted after that instant starts a new call {@link #COALESCE} later.
     */
    void submit(Instant start, Instant end, Instant due, Unit u) {
        Window w = new Window(start, end);
        boolean first;
        synchronized (pending) {
            List<Unit> l = pending.computeIfAbsent(w, k -> new ArrayList<>());
            first = l.isEmpty();
            l.add(u);
        }
        if (first) {
            Instant now = scheduler.clock().instant();
            Instant at = due == null ? now.plus(COALESCE) : due.plus(COALESCE);
            Duration wait = Duration.between(now, at);
            scheduler.schedule(wait.isNegative() ? Duration.ZERO : wait, () -> io.execute(() -> flush(w)));
        }
    }

    private void flush(Window w) {
        List<Unit> units;
        synchronized (pending) {
            units = pending.remove(w);
        }
        if (units == null || units.isEmpty()) {
            return;
        }
        List<Unit> batch = new ArrayList<>();
        int size = 0;
        for (Unit u : units) {
            if (size + u.queries().size() > MAX_QUERIES && !batch.isEmpty()) {
                call(w, batch);
                batch = new ArrayList<>();
                size = 0;
            }
            batch.add(u);
            size += u.queries().size();
        }
        if (!batch.isEmpty()) {
            call(w, batch);
        }
    }

    private void call(Window w, List<Unit> batch) {
        List<MetricDataQuery> qs = new ArrayList<>();
        batch.forEach(u -> qs.addAll(u.queries()));
        calls.incrementAndGet();
        queries.addAndGet(qs.size());
        if (qs.size() > maxQueriesInOneCall) {
            maxQueriesInOneCall = qs.size();
        }
        Map<String, List<Double>> values = new LinkedHashMap<>();
        try {
            String token = null;
            do {
                String t = token;
                GetMetricDataResponse r = source.getMetricData(GetMetricDataRequest.builder().startTime(w.start())
                        .endTime(w.end()).metricDataQueries(qs).nextToken(t).build());
                for (MetricDataResult m : r.metricDataResults()) {
                    values.computeIfAbsent(m.id(), k -> new ArrayList<>()).addAll(m.values());
                }
                token = r.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (RuntimeException e) {
            failedCalls.incrementAndGet();
            // credentials and request ids stay out of the message; the SDK's text names the refusal
            String why = "CloudWatch GetMetricData failed: " + e.getMessage();
            LOG.log(Level.FINE, why, e);
            for (Unit u : batch) {
                safely(() -> u.failed().accept(why));
            }
            return;
        }
        for (Unit u : batch) {
            Map<String, List<Double>> own = new HashMap<>();
            for (MetricDataQuery q : u.queries()) {
                own.put(q.id(), values.getOrDefault(q.id(), List.of()));
            }
            safely(() -> u.done().accept(own));
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an analysis callback failed", e);
        }
    }
}
