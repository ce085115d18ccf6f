package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.RecordedDecision;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * Keeps who decided what, when and why with the deployment, where every process can read it: as tags on the ECS
 * <b>service</b> (docs/engine.md "Decisions on the service").
 *
 * <p>Why the service: TagResource accepts capacity providers, tasks, services, task definitions, clusters and
 * container instances — not service deployments nor service revisions
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TagResource.html). The task definition is not
 * always ours (deploying an existing revision) and may be shared by several deployments; the service is always there
 * and every reader of the deployment knows it from the deployment ARN.
 *
 * <p>Limits (same page): at most 50 tags per resource, keys up to 128 and values up to 256 Unicode characters,
 * characters "letters, numbers, and spaces representable in UTF-8, and + - = . _ : / @", keys and values
 * case-sensitive, no {@code aws:} prefix. So: one tag per decision, key {@code ecs-deploy:<deployment id>:<hookId>} (or
 * {@code :rollback} for a roll-back without a gate), value {@code <ACTION>[/shortened] <time> <by> <comment>} with
 * every character outside that set (and {@code =}) written as {@code =HH} per UTF-8 byte; a comment that does not fit
 * is shortened. The engine keeps at most {@link #MAX_RECORDS} such tags per service, removing the oldest first, and
 * never touches other tags. Needs {@code ecs:TagResource}, {@code ecs:UntagResource}, {@code ecs:ListTagsForResource}
 * (docs/iam-policy.json); a refused tag write is logged and counted, it never undoes or fails the decision itself.
 */
public final class DecisionLedger {
    static final String PREFIX = "ecs-deploy:";
    /** Decision tags kept per service (ECS allows 50 tags in all; the rest stay for the service owner's own tags). */
    public static final int MAX_RECORDS = 30;
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 256;
    private static final Logger LOG = Logger.getLogger(DecisionLedger.class.getName());
    private static final String SHORTENED = "/shortened";

    private final EcsClient ecs;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger written = new AtomicInteger();

    public DecisionLedger(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** Tag writes that failed (logged at WARNING); the decisions themselves were applied. */
    public int failures() {
        return failures.get();
    }

    /** Decision tags written. */
    public int written() {
        return written.get();
    }

    /** Records a gate decision; false when the tag could not be written (logged). */
    public boolean recordGate(DeploymentHandle h, String hookId, String action, String by, String comment, Instant at) {
        return write(h, key(h.deploymentArn(), hookId), value(action, by, comment, at));
    }

    /** Records a manual roll-back of the whole deployment; false when the tag could not be written (logged). */
    public boolean recordRollback(DeploymentHandle h, String by, String reason, Instant at) {
        return write(h, key(h.deploymentArn(), null), value("ROLLBACK", by, reason, at));
    }

    /** The action of a partial approval at a gate that needs several people (docs/approvals.md "Approval policy"). */
    public static final String APPROVAL = "APPROVAL";

    /**
     * Records one person's approval at a gate that needs several, so another process (the next {@code ecs-deploy
     * approve}) counts it: one tag per person and gate — the key hashes hook id and lower-cased user id, so the same
     * person approving again rewrites their own tag and is counted once; the value holds the hook id as its comment.
     */
    public boolean recordApproval(DeploymentHandle h, String hookId, String by, Instant at) {
        String base = PREFIX + deploymentId(h.deploymentArn()) + ":";
        String who = by == null ? "unknown" : by.toLowerCase(java.util.Locale.ROOT);
        return write(h, base + "a=" + sha256(hookId + "\n" + who).substring(0, 32), value(APPROVAL, by, hookId, at));
    }

    /** The partial approvals recorded for one gate, oldest first. Throws when the tags cannot be read. */
    public List<RecordedDecision> approvals(DeploymentHandle h, String hookId) {
        List<RecordedDecision> out = new ArrayList<>();
        for (RecordedDecision d : read(h)) {
            if (APPROVAL.equals(d.action()) && hookId.equals(d.comment())) {
                out.add(d);
            }
        }
        return out;
    }

    /** Every decision recorded for this deployment, oldest first. Throws when the tags cannot be read. */
    public List<RecordedDecision> read(DeploymentHandle h) {
        String service = serviceArn(h.deploymentArn());
        String mine = PREFIX + deploymentId(h.deploymentArn()) + ":";
        List<RecordedDecision> out = new ArrayList<>();
        for (Tag t : ecs.listTagsForResource(b -> b.resourceArn(service)).tags()) {
            if (t.key() != null && t.key().startsWith(mine)) {
                RecordedDecision d = parse(h.deploymentArn(), t.key().substring(mine.length()), t.value());
                if (d != null) {
                    out.add(d);
                }
            }
        }
        out.sort(Comparator.comparing(RecordedDecision::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    /** The recorded decision of one gate, or null. */
    public RecordedDecision find(DeploymentHandle h, String hookId) {
        String k = key(h.deploymentArn(), hookId);
        String suffix = k.substring(k.lastIndexOf(':') + 1);
        for (RecordedDecision d : read(h)) {
            if (d.hookId() != null && (d.hookId().equals(hookId) || d.hookId().equals(suffix))) {
                return d;
            }
        }
        return null;
    }

    private boolean write(DeploymentHandle h, String key, String value) {
        String service = serviceArn(h.deploymentArn());
        try {
            List<Tag> ours = new ArrayList<>();
            for (Tag t : ecs.listTagsForResource(b -> b.resourceArn(service)).tags()) {
                if (t.key() != null && t.key().startsWith(PREFIX) && !t.key().equals(key)) {
                    ours.add(t);
                }
            }
            if (ours.size() >= MAX_RECORDS) {
                ours.sort(Comparator.comparing(t -> timeOf(t.value()), Comparator.nullsFirst(Comparator.naturalOrder())));
                List<String> drop = ours.subList(0, ours.size() - MAX_RECORDS + 1).stream().map(Tag::key).toList();
                ecs.untagResource(b -> b.resourceArn(service).tagKeys(drop));
            }
            ecs.tagResource(b -> b.resourceArn(service).tags(Tag.builder().key(key).value(value).build())
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(20))));
            written.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "The decision could not be recorded on " + service + " (tag " + key + "): "
                    + SafeText.line(e.getMessage(), 300) + ". It was applied; other processes will not see who decided.");
            return false;
        }
    }

    // ---------------------------------------------------------------- format

    /** {@code arn:<partition>:ecs:<region>:<account>:service/<cluster>/<service>} from a service-deployment ARN. */
    public static String serviceArn(String deploymentArn) {
        int i = deploymentArn.indexOf(":service-deployment/");
        String[] parts = deploymentArn.substring(i + ":service-deployment/".length()).split("/");
        return deploymentArn.substring(0, i) + ":service/" + parts[0] + "/" + parts[1];
    }

    static String deploymentId(String deploymentArn) {
        return deploymentArn.substring(deploymentArn.lastIndexOf('/') + 1);
    }

    /** The tag key of a decision; a hookId that does not fit the key's characters or length is replaced by a hash. */
    static String key(String deploymentArn, String hookId) {
        String base = PREFIX + deploymentId(deploymentArn) + ":";
        if (hookId == null) {
            return base + "rollback";
        }
        if (base.length() + hookId.length() <= MAX_KEY && !hookId.equals("rollback")
                && hookId.codePoints().allMatch(cp -> allowed(cp, false) && cp != '=')) {
            return base + hookId;
        }
        return base + "h=" + sha256(hookId).substring(0, 40);
    }

    static String value(String action, String by, String comment, Instant at) {
        String head = action + " " + at.truncatedTo(ChronoUnit.SECONDS) + " " + cut(encode(by == null ? "unknown" : by, true), 80);
        String c = encode(comment == null ? "" : comment, false);
        int room = MAX_VALUE - head.length() - SHORTENED.length() - 1;
        if (head.length() + 1 + c.length() <= MAX_VALUE) {
            return head + " " + c;
        }
        String[] parts = head.split(" ", 2);
        return parts[0] + SHORTENED + " " + parts[1] + " " + cut(c, room);
    }

    static RecordedDecision parse(String deploymentArn, String hook, String value) {
        if (value == null) {
            return null;
        }
        String[] f = value.split(" ", 4);
        if (f.length < 3) {
            return null;
        }
        boolean shortened = f[0].endsWith(SHORTENED);
        String action = shortened ? f[0].substring(0, f[0].length() - SHORTENED.length()) : f[0];
        Instant at;
        try {
            at = Instant.parse(f[1]);
        } catch (RuntimeException e) {
            at = null;
        }
        return new RecordedDecision(deploymentArn, hook.equals("rollback") ? null : hook, action, decode(f[2]), at,
                f.length > 3 ? decode(f[3]) : "", shortened);
    }

    private static Instant timeOf(String value) {
        String[] f = value == null ? new String[0] : value.split(" ", 3);
        try {
            return f.length > 1 ? Instant.parse(f[1]) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Letters, numbers, {@code + - . _ : / @} and (unless encodeSpace) the plain space are kept; '=' is the escape. */
    private static boolean allowed(int cp, boolean encodeSpace) {
        if (cp == ' ') {
            return !encodeSpace;
        }
        return Character.isLetter(cp) || Character.isDigit(cp) || "+-._:/@".indexOf(cp) >= 0;
    }

    static String encode(String s, boolean encodeSpace) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        s.codePoints().forEach(cp -> {
            if (allowed(cp, encodeSpace)) {
                b.appendCodePoint(cp);
            } else {
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    b.append('=').append(String.format("%02X", x & 0xff));
                }
            }
        });
        return b.toString();
    }

    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '=' && i + 3 <= s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Cuts encoded text to {@code max} code points without splitting an {@code =HH} escape. */
    private static String cut(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        int end = s.offsetByCodePoints(0, Math.max(0, max));
        // do not leave half an escape: back up to before a '=' within the last two characters
        for (int k = 1; k <= 2 && end - k >= 0; k++) {
            if (s.charAt(end - k) == '=') {
                end -= k;
                break;
            }
        }
        return s.substring(0, end);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
