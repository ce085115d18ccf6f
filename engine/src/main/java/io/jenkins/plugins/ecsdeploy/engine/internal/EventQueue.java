package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Reads the SQS queue an EventBridge rule feeds with ECS deployment and hook events (docs/events.md) and hands every
 * event to the watchers that subscribed, as {@link EventHint}s. One consumer per queue URL in the JVM, shared by every
 * engine that names it (each message is received by one consumer only, so two consumers of one queue would each miss
 * half of the events). It long-polls on one thread of its own ({@code ecs-deploy-events}); every received message is
 * deleted after its hints were handed over (also foreign ones: the queue is this consumer's alone).
 *
 * <p>When the queue cannot be read (wrong URL, no permission, network), it says so ONCE per outage (a WARNING naming
 * the queue and the reason), tells the subscribers to follow by polling alone, and tries again on the scheduler
 * (5 s, doubling up to 5 minutes); the first answer after an outage is logged once at INFO and events are used again.
 */
public final class EventQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventQueue.class.getName());
    /** SQS allows at most 20 s of long polling; 10 keeps each HTTP attempt well inside the SDK's attempt timeout. */
    static final int WAIT_SECONDS = 10;
    static final int MAX_MESSAGES = 10;
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LAST_RETRY = Duration.ofMinutes(5);
    /** https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (also .amazonaws.com.cn); the SQS developer guide's URL form. */
    private static final Pattern AWS_URL = Pattern.compile(
            "https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/\\d{12}/[A-Za-z0-9_-]{1,80}(?:\\.fifo)?");
    private static final Map<String, EventQueue> OPEN = new HashMap<>();

    /** What a subscriber gets: the hints of each batch, and whether events can be relied on at the moment. */
    public interface Listener {
        void hints(List<EventHint> hints);

        void healthy(boolean healthy);
    }

    private final String url;
    private final SqsClient sqs;
    private final SdkHttpClient http;
    private final Scheduler scheduler;
    private final ExecutorService thread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean healthy;
    private boolean outageReported;
    private Duration retry = FIRST_RETRY;
    private final AtomicLong receiveCalls = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();

    private EventQueue(String url, SqsClient sqs, SdkHttpClient http, Scheduler scheduler) {
        this.url = url;
        this.sqs = sqs;
        this.http = http;
        this.scheduler = scheduler;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ecs-deploy-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds a problem when {@code url} is set but is no SQS queue URL (EngineConfig.build() calls this). */
    public static void checkUrl(String url, List<ValidationProblem> problems) {
        if (url == null) {
            return;
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        if (u == null || u.getScheme() == null || u.getHost() == null || !u.getScheme().matches("https?")
                || u.getPath() == null || u.getPath().split("/").length != 3) {
            problems.add(new ValidationProblem("eventsQueueUrl", url, "an SQS queue URL, e.g. "
                    + "https://sqs.eu-west-1.amazonaws.com/123456789012/ecs-deploy-events (docs/events.md)"));
        }
    }

    /**
     * Subscribes to the queue of {@code config.eventsQueueUrl()}, opening its consumer when it is the first
     * subscriber (with that subscriber's credentials and scheduler). Close the returned handle to unsubscribe; the
     * consumer stops with its last subscriber.
     */
    public static AutoCloseable subscribe(EngineConfig config, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                                          Scheduler scheduler, Listener l) {
        String url = config.eventsQueueUrl();
        EventQueue q;
        synchronized (OPEN) {
            q = OPEN.get(url);
            if (q == null) {
                SdkHttpClient http = AwsClients.httpClient(config);
                q = new EventQueue(url, client(config, credentials, http), http, scheduler);
                OPEN.put(url, q);
                q.listeners.add(l);
                q.next();
            } else {
                q.listeners.add(l);
                l.healthy(q.healthy);
            }
        }
        EventQueue queue = q;
        return () -> queue.unsubscribe(l);
    }

    private static SqsClient client(EngineConfig c, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                                    SdkHttpClient http) {
        String url = c.eventsQueueUrl();
        Matcher m = AWS_URL.matcher(url);
        var b = SqsClient.builder().httpClient(http).overrideConfiguration(AwsClients.overrideConfiguration(c));
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        if (m.matches()) {
            b.region(Region.of(m.group(1)));
        } else {
            // A local endpoint (the simulator's SQS, moto): the URL's origin is the endpoint.
            URI u = URI.create(url);
            b.region(Region.of(c.region())).endpointOverride(URI.create(u.getScheme() + "://" + u.getAuthority()));
        }
        return b.build();
    }

    private void unsubscribe(Listener l) {
        synchronized (OPEN) {
            listeners.remove(l);
            if (listeners.isEmpty() && OPEN.get(url) == this) {
                OPEN.remove(url);
                close();
            }
        }
    }

    /** The next long poll, on the events thread. */
    private void next() {
        if (!closed) {
            thread.execute(this::receiveOnce);
        }
    }

    private void receiveOnce() {
        if (closed) {
            return;
        }
        List<Message> got;
        try {
            receiveCalls.incrementAndGet();
            ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(MAX_MESSAGES)
                    .waitTimeSeconds(WAIT_SECONDS).overrideConfiguration(o -> o.apiCallAttemptTimeout(
                            Duration.ofSeconds(WAIT_SECONDS + 15))));
            got = r.messages();
        } catch (SdkException | IllegalStateException e) {
            failed(e);
            return;
        }
        answered();
        handOver(got);
        next();
    }

    private void handOver(List<Message> got) {
        if (got.isEmpty()) {
            return;
        }
        List<EventHint> hints = new ArrayList<>();
        for (Message m : got) {
            messages.incrementAndGet();
            EventHint h = EventHint.parse(m.body());
            if (h == null) {
                foreign.incrementAndGet();
            } else {
                hints.add(h);
            }
        }
        for (Listener l : listeners) {
            try {
                l.hints(hints);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an events subscriber failed", e);
            }
        }
        delete(got);
    }

    private void delete(List<Message> got) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                    .receiptHandle(got.get(i).receiptHandle()).build());
        }
        try {
            sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
        } catch (SdkException e) {
            // Not deleted: the messages come back after their visibility timeout, as duplicates (hints are idempotent).
            LOG.log(Level.FINE, "DeleteMessageBatch failed on " + url, e);
        }
    }

    private void answered() {
        boolean wasHealthy;
        synchronized (this) {
            wasHealthy = healthy;
            healthy = true;
            retry = FIRST_RETRY;
            if (!wasHealthy && outageReported) {
                LOG.info("events queue " + url + " answers again: deployments are looked at as soon as an event names them");
                outageReported = false;
            }
        }
        if (!wasHealthy) {
            listeners.forEach(l -> l.healthy(true));
        }
    }

    private void failed(Exception e) {
        if (closed) {
            return;
        }
        boolean report;
        Duration wait;
        synchronized (this) {
            healthy = false;
            report = !outageReported;
            outageReported = true;
            wait = retry;
            retry = Cadence.min(LAST_RETRY, retry.multipliedBy(2));
        }
        if (report) {
            // Said once per outage: every retry failing the same way would flood the log.
            LOG.warning("events queue " + url + " cannot be read (" + SafeMessage.of(e)
                    + "); following deployments by polling alone until it answers (docs/events.md)");
            listeners.forEach(l -> l.healthy(false));
        }
        scheduler.schedule(wait, this::next);
    }

    /** ReceiveMessage calls so far, messages received, and of those not ECS events of ours (tests, benchmark). */
    public long receiveCalls() {
        return receiveCalls.get();
    }

    public long messages() {
        return messages.get();
    }

    public long foreignMessages() {
        return foreign.get();
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        sqs.close();
        http.close();
    }

    /** The consumer of this URL, while open (tests, benchmark). */
    public static EventQueue open(String url) {
        synchronized (OPEN) {
            return OPEN.get(url);
        }
    }

    /** One line about a failure, without anything secret (SDK messages carry no credentials). */
    static final class SafeMessage {
        private SafeMessage() {}

        static String of(Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            m = m.replaceAll("[\\r\\n\\t]+", " ");
            return m.length() > 300 ? m.substring(0, 300) + "…" : m;
        }
    }
}
