package io.jenkins.plugins.ecsdeploy.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One standard Amazon SQS queue, as much of it as an event consumer needs (docs/simulator.md "SQS"): messages are
 * kept until deleted; a received message is invisible for the visibility timeout (virtual time) and comes back if it
 * is not deleted in time — at-least-once delivery, as the SQS developer guide describes standard queues. Order is
 * arrival order here (a standard queue promises none; the publisher's knobs reorder on purpose). Thread-safe.
 */
public final class SqsQueue {
    /** A message as ReceiveMessage returns it. */
    public record Message(String messageId, String receiptHandle, String body, String md5OfBody, int receiveCount,
                          Instant sentAt) {}

    private static final class Entry {
        final String messageId = UUID.randomUUID().toString();
        final String body;
        final Instant sentAt;
        Instant visibleAt;
        String receiptHandle;
        int receiveCount;

        Entry(String body, Instant sentAt) {
            this.body = body;
            this.sentAt = sentAt;
            this.visibleAt = sentAt;
        }
    }

    private final String name;
    private final VirtualClock clock;
    private final Map<String, Entry> messages = new LinkedHashMap<>();
    private Duration visibilityTimeout = Duration.ofSeconds(30);
    private long sent;
    private long received;
    private long deleted;

    SqsQueue(String name, VirtualClock clock) {
        this.name = name;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** The queue's default visibility timeout (SQS default 30 s), in virtual time. */
    public synchronized SqsQueue visibilityTimeout(Duration d) {
        visibilityTimeout = d;
        return this;
    }

    /** SendMessage (also what an EventBridge target does): the message is visible at once. Returns its id. */
    public synchronized String send(String body) {
        Entry e = new Entry(body, clock.instant());
        messages.put(e.messageId, e);
        sent++;
        notifyAll();
        return e.messageId;
    }

    /** Up to {@code max} visible messages, made invisible for {@code visibility} (null = the queue's default). */
    public synchronized List<Message> receive(int max, Duration visibility) {
        Instant now = clock.instant();
        List<Message> out = new ArrayList<>();
        for (Iterator<Entry> it = messages.values().iterator(); it.hasNext() && out.size() < max; ) {
            Entry e = it.next();
            if (e.visibleAt.isAfter(now)) {
                continue;
            }
            e.visibleAt = now.plus(visibility == null ? visibilityTimeout : visibility);
            e.receiptHandle = e.messageId + "#" + UUID.randomUUID();
            e.receiveCount++;
            received++;
            out.add(new Message(e.messageId, e.receiptHandle, e.body, md5(e.body), e.receiveCount, e.sentAt));
        }
        return out;
    }

    /**
     * As {@link #receive}, waiting up to {@code waitReal} of REAL time for a message when none is visible (the long poll
     * is an HTTP request that stays open; on a manual clock virtual time may not move meanwhile).
     */
    public synchronized List<Message> receiveWaiting(int max, Duration visibility, Duration waitReal)
            throws InterruptedException {
        long end = System.nanoTime() + waitReal.toNanos();
        List<Message> out = receive(max, visibility);
        while (out.isEmpty()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 50))); // also re-checks messages becoming visible again
            out = receive(max, visibility);
        }
        return out;
    }

    /** DeleteMessage: true when the receipt handle was the latest one of a message still in the queue. */
    public synchronized boolean delete(String receiptHandle) {
        if (receiptHandle == null) {
            return false;
        }
        String id = receiptHandle.split("#", 2)[0];
        Entry e = messages.get(id);
        if (e == null || !receiptHandle.equals(e.receiptHandle)) {
            return false;
        }
        messages.remove(id);
        deleted++;
        return true;
    }

    /** Messages not deleted yet (visible or in flight). */
    public synchronized int size() {
        return messages.size();
    }

    /** Messages visible now. */
    public synchronized int visible() {
        Instant now = clock.instant();
        return (int) messages.values().stream().filter(e -> !e.visibleAt.isAfter(now)).count();
    }

    public synchronized long sentCount() {
        return sent;
    }

    public synchronized long receivedCount() {
        return received;
    }

    public synchronized long deletedCount() {
        return deleted;
    }

    /** The bodies still in the queue, oldest first (tests). */
    public synchronized List<String> bodies() {
        return messages.values().stream().map(e -> e.body).toList();
    }

    /** Hex MD5 of the UTF-8 body: what SQS returns as MD5OfBody and the SDK checks. */
    static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
