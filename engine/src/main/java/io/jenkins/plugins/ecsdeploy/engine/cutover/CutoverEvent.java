package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Instant;
import java.util.List;

/**
 * Something that happened in a DNS cutover, in order; {@code at} is the engine clock's time. The
 * {@link CutoverSnapshot} is the fold of these events. {@code step} counts from 1; 0 means the rollback's change.
 */
public sealed interface CutoverEvent {
    Instant at();

    /** One line for logs and the terminal (untrusted parts are made safe by the front end: SafeText.line). */
    String describe();

    record Started(Instant at, String cutoverId, String record, String recordType, String hostedZoneId, String blue,
                   String green, String blueSetIdentifier, String greenSetIdentifier, List<Integer> steps,
                   int cacheSeconds, String gate, int bakeMinutes) implements CutoverEvent {
        public Started {
            steps = List.copyOf(steps);
        }

        public String describe() {
            return "DNS cutover " + cutoverId + ": " + record + " " + recordType + " from " + blue + " to " + green
                    + " in steps " + steps + " %";
        }
    }

    /** The optional deployment of green before the cutover: STARTED, then its outcome (SUCCEEDED, ROLLED_BACK …). */
    record GreenDeployment(Instant at, String deploymentArn, String status, String detail) implements CutoverEvent {
        public String describe() {
            return "green deployment " + status + (deploymentArn == null ? "" : " " + deploymentArn) + (detail == null ? "" : ": " + detail);
        }
    }

    /** What each side's record will answer (a load balancer's DNS name, an alias, a value) and green's host. */
    record TargetsResolved(Instant at, String blueAnswer, String greenAnswer, String greenHost) implements CutoverEvent {
        public String describe() {
            return "blue answers " + blueAnswer + ", green answers " + greenAnswer;
        }
    }

    /** The record's weights as Route 53 listed them before the first change (null = no such weighted record). */
    record RecordsRead(Instant at, Integer blueWeight, Integer greenWeight, String note) implements CutoverEvent {
        public String describe() {
            return "Route 53 now: blue " + (blueWeight == null ? "no record" : blueWeight) + ", green "
                    + (greenWeight == null ? "no record" : greenWeight) + (note == null ? "" : " (" + note + ")");
        }
    }

    /** One attempt of green's health check before a step. */
    record HealthChecked(Instant at, int step, String url, int attempt, int attempts, Integer status, boolean ok,
                         String detail) implements CutoverEvent {
        public String describe() {
            return "health check before step " + step + " (" + attempt + "/" + attempts + "): " + (ok ? "OK" : "FAILED")
                    + " " + url + (status == null ? "" : " -> HTTP " + status) + (detail == null ? "" : " (" + detail + ")");
        }
    }

    /** ChangeResourceRecordSets accepted (PENDING): the weights asked for. */
    record WeightsRequested(Instant at, int step, int blueWeight, int greenWeight, String changeId, String reason)
            implements CutoverEvent {
        public String describe() {
            return (step == 0 ? "rollback" : "step " + step) + ": weights blue " + blueWeight + " / green " + greenWeight
                    + " requested (Route 53 change " + changeId + ")" + (reason == null ? "" : ": " + reason);
        }
    }

    /**
     * GetChange said INSYNC: every Route 53 name server answers with the new weights. Resolvers that cached an earlier
     * answer may still resolve {@code oldSide} until {@code clientsMayResolveOldUntil} (INSYNC + the TTL).
     */
    record WeightsInSync(Instant at, int step, int blueWeight, int greenWeight, String changeId,
                         Instant clientsMayResolveOldUntil, String oldSide) implements CutoverEvent {
        public String describe() {
            return (step == 0 ? "rollback" : "step " + step) + ": weights blue " + blueWeight + " / green " + greenWeight
                    + " INSYNC; clients may still resolve " + oldSide + " until " + clientsMayResolveOldUntil;
        }
    }

    /** A wait after a step (one TTL, or the bake when longer). */
    record Waiting(Instant at, int step, Instant until, String reason) implements CutoverEvent {
        public String describe() {
            return "step " + step + ": waiting until " + until + " (" + reason + ")";
        }
    }

    record GateAwaiting(Instant at, String gateId, int afterStep, Instant expiresAt) implements CutoverEvent {
        public String describe() {
            return "gate after step " + afterStep + " awaits a decision (times out " + expiresAt + ")";
        }
    }

    record GateDecided(Instant at, String gateId, int afterStep, HookAction action, String by, String comment,
                       boolean timedOut) implements CutoverEvent {
        public String describe() {
            return "gate after step " + afterStep + ": " + action + (timedOut ? " (timed out)" : by == null ? "" : " by " + by)
                    + (comment == null || comment.isBlank() ? "" : ": " + comment);
        }
    }

    record RollbackStarted(Instant at, RollbackCause cause, String reason) implements CutoverEvent {
        public String describe() {
            return "rolling back (weights back to blue): " + reason;
        }
    }

    /** The end; {@code clientsMayResolveOldUntil} is when the last cached answer of the side that lost expires. */
    record Finished(Instant at, Outcome outcome, Instant clientsMayResolveOldUntil) implements CutoverEvent {
        public String describe() {
            return outcome.describe();
        }
    }
}
