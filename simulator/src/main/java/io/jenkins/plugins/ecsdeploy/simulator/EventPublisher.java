package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A stand-in for Amazon EventBridge with one rule whose target is an SQS queue: the simulator's service deployments
 * publish "ECS Deployment State Change" and "ECS Hook State Change" events, shaped as the ECS developer guide shows
 * them (docs/simulator.md "EventBridge events" lists each field and its source), and this class delivers each event's
 * JSON as the body of one SQS message, as an EventBridge SQS target does. Delivery is at least once and unordered in
 * EventBridge; the knobs make that visible on purpose: latency, random extra delay (reordering), duplicates, losses.
 *
 * <pre>{@code
 * SqsServer sqs = new SqsServer(sim.clock(), sim.accountId()).start(0);
 * EventPublisher events = EventPublisher.attach(sim, sqs.queue("ecs-events")).latency(Duration.ofMillis(500));
 * }</pre>
 */
public final class EventPublisher implements EcsEventSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Controller controller;
    private final SqsQueue target;
    private final Random random;
    private Duration latency = Duration.ofMillis(500);
    private Duration extraDelayUpTo = Duration.ZERO;
    private double duplicateRate;
    private double dropRate;
    private int dropNext;
    private int duplicateNext;
    private final List<String> published = new ArrayList<>();
    private long delivered;
    private long dropped;
    private long duplicated;

    private EventPublisher(Controller controller, SqsQueue target, long seed) {
        this.controller = controller;
        this.target = target;
        this.random = new Random(seed);
    }

    /** Publishes the simulator's events into {@code target} from now on (one publisher per simulator). */
    public static EventPublisher attach(EcsSimulator sim, SqsQueue target) {
        EventPublisher p = new EventPublisher(sim.controller, target, 17);
        synchronized (sim.controller) {
            sim.controller.events = p;
        }
        return p;
    }

    /** Stops publishing. */
    public void detach() {
        synchronized (controller) {
            if (controller.events == this) {
                controller.events = EcsEventSink.NONE;
            }
        }
    }

    /** Virtual time from the state change to the message in the queue (default 0.5 s). */
    public synchronized EventPublisher latency(Duration d) {
        latency = d;
        return this;
    }

    /** Each delivery gets a further random delay from 0 to {@code d}: events overtake each other. */
    public synchronized EventPublisher extraDelayUpTo(Duration d) {
        extraDelayUpTo = d;
        return this;
    }

    public synchronized EventPublisher duplicateRate(double r) {
        duplicateRate = r;
        return this;
    }

    public synchronized EventPublisher dropRate(double r) {
        dropRate = r;
        return this;
    }

    /** The next {@code n} events are lost. */
    public synchronized EventPublisher dropNext(int n) {
        dropNext = n;
        return this;
    }

    /** The next {@code n} events are delivered twice. */
    public synchronized EventPublisher duplicateNext(int n) {
        duplicateNext = n;
        return this;
    }

    /** Every event published so far (bodies), in publishing order, delivered or not. */
    public synchronized List<String> published() {
        return List.copyOf(published);
    }

    public synchronized long delivered() {
        return delivered;
    }

    public synchronized long dropped() {
        return dropped;
    }

    public synchronized long duplicated() {
        return duplicated;
    }

    // ---- the sink (called under the controller's lock) ----

    @Override
    public void deploymentStatus(Model.Deployment d, String status, String reason) {
        String name;
        String why;
        String id = d.target == null ? null : d.target.legacyId;
        switch (status) {
            case "IN_PROGRESS" -> {
                name = "SERVICE_DEPLOYMENT_IN_PROGRESS";
                why = "ECS deployment " + id + " in progress.";
            }
            case "ROLLBACK_IN_PROGRESS" -> {
                // The rollback is announced with IN_PROGRESS too; only the reason tells it apart (service deployment
                // events page). The wording of the reason is ours.
                name = "SERVICE_DEPLOYMENT_IN_PROGRESS";
                why = "ECS deployment rolling back to deploymentId "
                        + (d.rollbackTo == null ? null : d.rollbackTo.legacyId) + ".";
            }
            case "SUCCESSFUL", "ROLLBACK_SUCCESSFUL" -> {
                name = "SERVICE_DEPLOYMENT_COMPLETED";
                why = "ECS deployment " + id + " completed.";
            }
            case "STOPPED", "ROLLBACK_FAILED" -> {
                // "sent for services with deployment circuit breaker logic turned on" (service deployment events page)
                if (!d.configuration.path("deploymentCircuitBreaker").path("enable").asBoolean(false)) {
                    return;
                }
                name = "SERVICE_DEPLOYMENT_FAILED";
                why = reason != null ? reason : "ECS deployment " + id + " failed.";
            }
            default -> {
                return; // PENDING, *_REQUESTED: no event is documented
            }
        }
        ObjectNode e = envelope("ECS Deployment State Change", d.service.arn);
        ObjectNode detail = e.putObject("detail");
        detail.put("eventType", name.endsWith("FAILED") ? "ERROR" : "INFO");
        detail.put("eventName", name);
        detail.put("deploymentId", id);
        detail.put("updatedAt", iso(controller.now()));
        detail.put("reason", why);
        publish(e);
    }

    @Override
    public void hookStatus(Model.Deployment d, Model.HookExec h, String status) {
        ObjectNode e = envelope("ECS Hook State Change", d.arn);
        ObjectNode detail = e.putObject("detail");
        detail.put("eventType", "FAILED".equals(status) || "TIMED_OUT".equals(status) ? "ERROR" : "INFO");
        detail.put("eventName", "HOOK_" + status);
        detail.put("hookId", h.hookId);
        detail.put("hookType", h.targetType);
        detail.put("expiresAt", iso(h.expiresAt));
        detail.put("lifecycleStage", h.stage);
        detail.put("clusterArn", d.service.cluster.arn);
        detail.put("serviceArn", d.service.arn);
        detail.put("serviceDeploymentArn", d.arn);
        detail.put("updatedAt", iso(controller.now()));
        publish(e);
    }

    private ObjectNode envelope(String detailType, String resource) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", detailType);
        e.put("source", "aws.ecs");
        e.put("account", controller.account);
        e.put("time", iso(controller.now().truncatedTo(ChronoUnit.SECONDS)));
        e.put("region", controller.region);
        e.putArray("resources").add(resource);
        return e;
    }

    private synchronized void publish(ObjectNode e) {
        String body = e.toString();
        published.add(body);
        if (dropNext > 0 || dropRate > 0 && random.nextDouble() < dropRate) {
            dropNext = Math.max(0, dropNext - 1);
            dropped++;
            return;
        }
        deliverLater(body);
        if (duplicateNext > 0 || duplicateRate > 0 && random.nextDouble() < duplicateRate) {
            duplicateNext = Math.max(0, duplicateNext - 1);
            duplicated++;
            deliverLater(body);
        }
    }

    private void deliverLater(String body) {
        Duration d = latency;
        if (!extraDelayUpTo.isZero()) {
            d = d.plusMillis((long) (random.nextDouble() * extraDelayUpTo.toMillis()));
        }
        controller.schedule(d, () -> {
            target.send(body);
            synchronized (EventPublisher.this) {
                delivered++;
            }
            return null;
        });
    }

    private static String iso(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
