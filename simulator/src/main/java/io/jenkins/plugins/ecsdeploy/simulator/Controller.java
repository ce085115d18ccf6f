package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Deployment;
import io.jenkins.plugins.ecsdeploy.simulator.Model.HookExec;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Revision;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Service;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Step;
import io.jenkins.plugins.ecsdeploy.simulator.Model.StepKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The native deployment controller: service deployments, their stage machine, tasks, hooks, monitors and rollback,
 * driven by an event queue in virtual time. Every state change happens while holding this object's monitor; Lambda
 * handlers run outside it. What each behaviour is based on (AWS page, published test) is in docs/simulator.md
 * ("Behaviour, with its source").
 */
final class Controller implements VirtualClock.Stepper {

    /** An event action; runs under the lock and may return work to run outside it (a Lambda call). */
    interface Action {
        Runnable run();
    }

    private record Ev(Instant at, long seq, Action action) implements Comparable<Ev> {
        @Override
        public int compareTo(Ev o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    static final String[] HOOK_STAGES = {"RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
        "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"};

    final VirtualClock clock;
    final String region;
    final String account;
    final Scenario scenario;
    final LambdaRegistry lambdas;
    final Random random;
    /** EventBridge events (docs/simulator.md "EventBridge events"); NONE unless an EventPublisher is attached. */
    EcsEventSink events = EcsEventSink.NONE;

    final Map<String, Model.Cluster> clusters = new LinkedHashMap<>();
    final Map<String, List<Model.TaskDef>> taskDefs = new LinkedHashMap<>();
    final Map<String, Deployment> deployments = new LinkedHashMap<>();
    final Map<String, Revision> revisions = new LinkedHashMap<>();

    private final PriorityQueue<Ev> queue = new PriorityQueue<>();
    private long seq;
    private Instant current;
    private final ReentrantLock runner = new ReentrantLock();

    Controller(VirtualClock clock, String region, String account, Scenario scenario, LambdaRegistry lambdas, long seed) {
        this.clock = clock;
        this.region = region;
        this.account = account;
        this.scenario = scenario;
        this.lambdas = lambdas;
        this.random = new Random(seed);
    }

    // ------------------------------------------------------------------ time and events

    synchronized Instant now() {
        if (clock.isManual() || current == null) {
            return clock.instant();
        }
        return current;
    }

    synchronized void schedule(Duration delay, Action a) {
        queue.add(new Ev(now().plus(delay), seq++, a));
    }

    synchronized int pendingEvents() {
        return queue.size();
    }

    @Override
    public void runUntil(Instant target) {
        runner.lock();
        try {
            while (true) {
                Runnable outside;
                synchronized (this) {
                    Ev e = queue.peek();
                    if (e == null || e.at.isAfter(target)) {
                        break;
                    }
                    queue.poll();
                    clock.moveTo(e.at);
                    // While an event runs, "now" is its own instant (a scaled clock has moved on meanwhile);
                    // between events, API calls see the clock itself, so createdAt never lags the caller's clock.
                    current = e.at;
                    try {
                        outside = e.action.run();
                    } catch (RuntimeException ex) {
                        // A bug in one event must not stop the controller; report it where a developer looks.
                        System.err.println("ecs-simulator: event failed: " + ex);
                        ex.printStackTrace();
                        outside = null;
                    } finally {
                        current = null;
                    }
                }
                if (outside != null) {
                    outside.run();
                }
            }
        } finally {
            runner.unlock();
        }
    }

    // ------------------------------------------------------------------ ids

    synchronized String alnum(int n) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    synchronized String hex(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(Character.forDigit(random.nextInt(16), 16));
        }
        return b.toString();
    }

    /**
     * A hookId as ECS shapes it: {@code ecs-<hookType>-<id>}, e.g. {@code ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw}
     * (the pause-hook page's example: 43 URL-safe base64 characters). The hookType word of a Lambda hook is not
     * published; "lambda" is our guess (docs/simulator.md, A19).
     */
    synchronized String hookId(boolean pause) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        StringBuilder b = new StringBuilder(pause ? "ecs-pause-" : "ecs-lambda-");
        for (int i = 0; i < 43; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    synchronized String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    synchronized String bigNumber() {
        return Long.toString(1_000_000_000_000_000_000L + Math.floorMod(random.nextLong(), 8_000_000_000_000_000_000L));
    }

    String arn(String resource) {
        return "arn:aws:ecs:" + region + ":" + account + ":" + resource;
    }

    // ------------------------------------------------------------------ tasks

    private Duration startTime(Revision r) {
        for (Scenario.TaskRule rule : scenario.taskRules()) {
            if (matches(rule.taskDefinition(), rule.imageContains(), r)) {
                return rule.startTime();
            }
        }
        return scenario.defaultTaskStart();
    }

    private double failureRate(Revision r) {
        for (Scenario.TaskRule rule : scenario.taskRules()) {
            if (matches(rule.taskDefinition(), rule.imageContains(), r)) {
                return rule.failureRate();
            }
        }
        return scenario.defaultFailureRate();
    }

    static boolean matches(String taskDefinition, String imageContains, Revision r) {
        if (taskDefinition != null) {
            Model.TaskDef td = r.taskDef;
            if (!(taskDefinition.equals(td.arn) || taskDefinition.equals(td.family + ":" + td.revision)
                    || taskDefinition.equals(td.family))) {
                return false;
            }
        }
        if (imageContains != null) {
            return r.taskDef.images().stream().anyMatch(i -> i.contains(imageContains));
        }
        return true;
    }

    private void launch(Revision r, int n) {
        for (int i = 0; i < n; i++) {
            r.pending++;
            int gen = r.generation;
            double rate = failureRate(r);
            schedule(startTime(r), () -> {
                if (r.generation != gen) {
                    return null;
                }
                r.pending--;
                r.updatedAt = now();
                boolean failed = rate > 0 && random.nextDouble() < rate;
                if (failed) {
                    r.failedTasks++;
                    onTaskFailed(r);
                } else {
                    r.running++;
                    onTaskStarted(r);
                }
                return null;
            });
        }
    }

    /** Brings running + pending to {@code requested}: cancels pending launches / stops tasks, or launches more. */
    void reconcile(Revision r) {
        int have = r.running + r.pending;
        if (have > r.requested) {
            if (r.pending > 0) {
                r.generation++;
                r.pending = 0;
            }
            if (r.running > r.requested) {
                stopTasks(r, r.running - r.requested);
            }
            have = r.running;
        }
        if (have < r.requested) {
            launch(r, r.requested - have);
        }
        r.updatedAt = now();
    }

    /**
     * Stops {@code k} running tasks of {@code r}. They leave the deployment's arithmetic at once but drain for
     * {@link Scenario#drainTime()}, reported as running meanwhile: SUCCESSFUL does not mean the old tasks are gone
     * (docs/simulator.md, "Statuses": old tasks still draining).
     */
    void stopTasks(Revision r, int k) {
        if (k <= 0) {
            return;
        }
        r.running -= k;
        r.updatedAt = now();
        Duration drain = scenario.drainTime();
        if (drain.isZero()) {
            return;
        }
        r.draining += k;
        Instant from = now();
        schedule(drain, () -> {
            r.draining -= k;
            r.updatedAt = now();
            Deployment ongoing = r.service.ongoing();
            if (ongoing != null && "ROLLING".equals(ongoing.strategy)) {
                progress(ongoing); // room under maximumPercent again
            }
            // A deployment that finished while these tasks drained shows their end in its record.
            for (Deployment d : r.service.deployments) {
                if (d.frozenTarget != null && d.finishedAt != null && !d.finishedAt.isBefore(from)
                        && (d.target == r || d.sources.contains(r))) {
                    freeze(d);
                }
            }
            return null;
        });
    }

    void setRequested(Revision r, int n) {
        r.requested = n;
        reconcile(r);
    }

    private Deployment deploymentOf(Revision r) {
        Deployment d = r.service.ongoing();
        return d != null && (d.target == r || d.sources.contains(r)) ? d : null;
    }

    private void onTaskFailed(Revision r) {
        Deployment d = deploymentOf(r);
        if (d == null || !"ROLLING".equals(d.strategy) || d.rollingBack) {
            reconcile(r); // the scheduler replaces a failed task
        }
        if (d == null) {
            return;
        }
        if (r == d.target && !d.rollingBack && !d.halted() && "MONITORING".equals(d.cbStatus)) {
            d.cbFailures++;
            if (d.cbFailures >= d.cbThreshold) {
                d.cbStatus = "TRIGGERED";
                // The rollback text is the one ECS gives (Terraform acceptance test
                // TestAccECSService_BlueGreenDeployment_circuitBreakerRollback); no text is published for rollback: false.
                fail(d, d.cbRollback ? "Service deployment rolled back because the circuit breaker threshold was exceeded."
                        : "Service deployment stopped because the circuit breaker threshold was exceeded.", d.cbRollback);
                return;
            }
        }
        progress(d);
    }

    private void onTaskStarted(Revision r) {
        Deployment d = deploymentOf(r);
        if (d == null) {
            reconcile(r);
            return;
        }
        if (r == d.target && d.cbReset && "MONITORING".equals(d.cbStatus)) {
            d.cbFailures = 0; // resetOnHealthyTask defaults to true (ThresholdConfiguration API reference)
        }
        progress(d);
    }

    private void progress(Deployment d) {
        if (d.halted()) {
            return;
        }
        if ("ROLLING".equals(d.strategy)) {
            rollingTick(d);
        } else {
            check(d);
        }
    }

    // ------------------------------------------------------------------ deployments

    void setStatus(Deployment d, String status, String reason) {
        d.status = status;
        if (reason != null) {
            d.statusReason = reason;
        }
        d.updatedAt = now();
        d.statusHistory.add(new StatusChange(status, now(), reason));
        events.deploymentStatus(d, status, reason);
    }

    /** Creates a service deployment for a new revision of {@code svc} and starts it after the PENDING delay. */
    Deployment createDeployment(Service svc, Model.TaskDef td) {
        Instant now = now();
        Deployment old = svc.ongoing();
        Deployment d = new Deployment();
        d.service = svc;
        d.arn = arn("service-deployment/" + svc.cluster.name + "/" + svc.name + "/" + alnum(22));
        d.createdAt = now;
        d.updatedAt = now;
        d.configuration = svc.deploymentConfiguration.deepCopy();
        d.strategy = d.configuration.path("strategy").asText("ROLLING");
        if (old != null && !old.stopping) {
            // A newer deployment supersedes an unfinished one: STOP_REQUESTED, then STOPPED (the service deployment page
            // lists this path); its revisions become sources of the new one (docs/simulator.md, A9).
            stopWithoutRollback(old, "Service deployment superseded by " + d.arn + ".");
        }
        d.rollbackTo = svc.lastCompleted;
        d.firstDeployment = svc.lastCompleted == null;
        Revision target = newRevision(svc, td, d);
        d.target = target;
        if (d.rollbackTo != null) {
            d.sources.add(d.rollbackTo);
        }
        for (Revision r : svc.revisions) {
            if (r != target && r != d.rollbackTo && r.active()) {
                d.sources.add(r);
            }
        }
        boolean shifting = svc.loadBalanced() && d.advanced();
        if (shifting) {
            target.productionWeight = 0.0;
            target.testWeight = 0.0;
            Revision blue = d.sources.isEmpty() ? null : d.sources.get(0);
            if (blue != null && blue.productionWeight == null) {
                blue.productionWeight = 100.0;
                blue.testWeight = 100.0;
            }
        }
        svc.taskDefinitionArn = td.arn;
        svc.primary = target;
        svc.deployments.add(d);
        deployments.put(d.arn, d);
        setStatus(d, "PENDING", null);
        schedule(scenario.pendingDelay(), () -> {
            if ("PENDING".equals(d.status)) {
                begin(d);
            }
            return null;
        });
        return d;
    }

    Revision newRevision(Service svc, Model.TaskDef td, Deployment d) {
        Revision r = new Revision();
        r.service = svc;
        r.taskDef = td;
        r.arn = arn("service-revision/" + svc.cluster.name + "/" + svc.name + "/" + bigNumber());
        r.legacyId = "ecs-svc/" + bigNumber();
        r.loadBalancers = svc.loadBalancers.deepCopy();
        r.networkConfiguration = svc.spec.has("networkConfiguration") ? (ObjectNode) svc.spec.get("networkConfiguration").deepCopy() : null;
        r.createdAt = now();
        r.updatedAt = now();
        if (svc.loadBalanced()) {
            JsonNode lb = svc.loadBalancers.get(0);
            String primaryTg = lb.path("targetGroupArn").asText(null);
            String alternate = lb.path("advancedConfiguration").path("alternateTargetGroupArn").asText(null);
            r.productionListenerRule = lb.path("advancedConfiguration").path("productionListenerRule").asText(null);
            if (svc.liveTargetGroup == null) {
                svc.liveTargetGroup = primaryTg;
            }
            // Blue/green serves the new revision from the target group that is not live (aws-samples blue/green patterns; not published by AWS: docs/simulator.md A15).
            if (d != null && d.advanced() && alternate != null && svc.lastCompleted != null) {
                r.targetGroup = svc.liveTargetGroup.equals(primaryTg) ? alternate : primaryTg;
            } else {
                r.targetGroup = svc.liveTargetGroup;
            }
        }
        svc.revisions.add(r);
        revisions.put(r.arn, r);
        return r;
    }

    private void begin(Deployment d) {
        Service svc = d.service;
        d.startedAt = now();
        setStatus(d, "IN_PROGRESS", null);
        JsonNode alarms = d.configuration.get("alarms");
        if (alarms != null && alarms.path("enable").asBoolean(false)) {
            d.alarmsStatus = "MONITORING";
            d.alarmNames = Json.strings(alarms, "alarmNames");
            d.alarmsRollback = alarms.path("rollback").asBoolean(false);
            for (Scenario.AlarmRule rule : scenario.alarmRules()) {
                if (!d.alarmNames.contains(rule.alarmName()) || !matches(null, rule.imageContains(), d.target)) {
                    continue;
                }
                schedule(rule.afterStart(), () -> {
                    if (d.halted() || d.rollingBack || !"MONITORING".equals(d.alarmsStatus) && !"TRIGGERED".equals(d.alarmsStatus)) {
                        return null;
                    }
                    d.triggeredAlarms.add(rule.alarmName());
                    d.alarmsStatus = "TRIGGERED";
                    // No statusReason text is published for an alarm rollback: our own wording (docs/simulator.md).
                    fail(d, "Service deployment " + (d.alarmsRollback ? "rolled back" : "stopped") + " because alarm(s) "
                            + rule.alarmName() + " went into ALARM.", d.alarmsRollback);
                    return null;
                });
            }
        } else if (alarms != null) {
            d.alarmNames = Json.strings(alarms, "alarmNames");
        }
        JsonNode cb = d.configuration.get("deploymentCircuitBreaker");
        // The circuit breaker acts with every strategy: Terraform's acceptance tests see BLUE_GREEN, CANARY and LINEAR
        // deployments with failing tasks roll back "because the circuit breaker threshold was exceeded"
        // (docs/simulator.md, A3).
        if (cb != null && cb.path("enable").asBoolean(false)) {
            d.cbStatus = "MONITORING";
            d.cbRollback = cb.path("rollback").asBoolean(false);
            d.cbReset = cb.path("resetOnHealthyTask").asBoolean(true);
            d.cbThreshold = threshold(cb.get("thresholdConfiguration"), svc.desiredCount);
        }
        d.fault = scenario.infrastructureFault();
        d.plan = d.advanced() ? plan(d) : rollingPlan(d);
        d.stepIndex = -1;
        enterStep(d);
    }

    /**
     * ROLLING: PRE_SCALE_UP (hooks), SCALE_UP (the rolling replacement), POST_SCALE_UP (hooks), and BAKE_TIME when alarm
     * rollback is on ("If you use alarm-based rollback, the bake time elapses", early-success-criteria page). ECS accepts
     * hooks with ROLLING; which stages run for ROLLING is not published: only these three run here, hooks configured at
     * other stages never run for ROLLING (docs/simulator.md, A13).
     */
    private List<Step> rollingPlan(Deployment d) {
        List<Step> p = new ArrayList<>();
        p.add(new Step("PRE_SCALE_UP", StepKind.HOOK, 0, 0));
        p.add(new Step("SCALE_UP", StepKind.ROLLING_REPLACE, 0, 0));
        p.add(new Step("POST_SCALE_UP", StepKind.HOOK, 0, 0));
        JsonNode alarms = d.configuration.path("alarms");
        int bake = d.configuration.path("bakeTimeInMinutes").asInt(0);
        if (alarms.path("enable").asBoolean(false) && alarms.path("rollback").asBoolean(false) && bake > 0) {
            p.add(new Step("BAKE_TIME", StepKind.BAKE, 0, bake));
        }
        return p;
    }

    /** ThresholdConfiguration API reference: percent types = value × desired count, BOUNDED clamps to 3–200; COUNT = value. Default BOUNDED_PERCENT 50. */
    static int threshold(JsonNode tc, int desired) {
        String type = tc == null ? "BOUNDED_PERCENT" : tc.path("type").asText("BOUNDED_PERCENT");
        int value = tc == null ? 50 : tc.path("value").asInt(50);
        return switch (type) {
            case "COUNT" -> Math.max(1, value);
            case "UNBOUNDED_PERCENT" -> Math.max(1, (int) Math.ceil(value * desired / 100.0));
            default -> Math.min(200, Math.max(3, (int) Math.ceil(value * desired / 100.0)));
        };
    }

    private List<Step> plan(Deployment d) {
        List<Step> p = new ArrayList<>();
        JsonNode c = d.configuration;
        if (d.sources.size() > 1) {
            p.add(new Step("RECONCILE_SERVICE", StepKind.HOOK, 0, 0)); // only with >1 active revision (lifecycle-hooks page)
        }
        p.add(new Step("PRE_SCALE_UP", StepKind.HOOK, 0, 0));
        p.add(new Step("SCALE_UP", StepKind.SCALE_UP, 0, 0));
        p.add(new Step("POST_SCALE_UP", StepKind.HOOK, 0, 0));
        p.add(new Step("TEST_TRAFFIC_SHIFT", StepKind.TEST_SHIFT, 0, 0));
        p.add(new Step("POST_TEST_TRAFFIC_SHIFT", StepKind.HOOK, 0, 0));
        for (double[] wb : trafficSteps(c)) {
            p.add(new Step("PRE_PRODUCTION_TRAFFIC_SHIFT", StepKind.HOOK, wb[0], 0));
            p.add(new Step("PRODUCTION_TRAFFIC_SHIFT", StepKind.PROD_SHIFT, wb[0], (int) wb[1]));
        }
        p.add(new Step("POST_PRODUCTION_TRAFFIC_SHIFT", StepKind.HOOK, 0, 0));
        p.add(new Step("BAKE_TIME", StepKind.BAKE, 0, c.path("bakeTimeInMinutes").asInt(0)));
        p.add(new Step("CLEAN_UP", StepKind.CLEAN_UP, 0, 0));
        return p;
    }

    /** Production weights and the bake after each: BLUE_GREEN [100]; CANARY [p, 100]; LINEAR [s, 2s, …, 100] (canary and linear deployment pages). */
    static List<double[]> trafficSteps(JsonNode c) {
        List<double[]> steps = new ArrayList<>();
        String strategy = c.path("strategy").asText("ROLLING");
        if ("CANARY".equals(strategy)) {
            double p = c.path("canaryConfiguration").path("canaryPercent").asDouble(5.0);
            int bake = c.path("canaryConfiguration").path("canaryBakeTimeInMinutes").asInt(10);
            if (p < 100.0 - 1e-9) {
                steps.add(new double[] {round1(p), bake});
            }
        } else if ("LINEAR".equals(strategy)) {
            double s = c.path("linearConfiguration").path("stepPercent").asDouble(10.0);
            int bake = c.path("linearConfiguration").path("stepBakeTimeInMinutes").asInt(6);
            for (int i = 1; round1(i * s) < 100.0 - 1e-9; i++) {
                steps.add(new double[] {round1(i * s), bake});
            }
        }
        steps.add(new double[] {100.0, 0});
        return steps;
    }

    static double round1(double x) {
        return Math.round(x * 10.0) / 10.0;
    }

    private void closeVisit(Deployment d) {
        int last = d.history.size() - 1;
        if (last >= 0 && d.history.get(last).leftAt() == null) {
            d.history.set(last, d.history.get(last).left(now()));
        }
    }

    private Duration shiftDuration(Service svc) {
        Duration base = scenario.trafficShift();
        return svc.nlb() ? base.plus(scenario.nlbExtraShift()) : base; // NLB: +10 min (NLB resources page)
    }

    private void enterStep(Deployment d) {
        closeVisit(d);
        d.stepIndex++;
        Step s = d.step();
        if (s == null) {
            if (d.rollingBack) {
                finishRollback(d);
            } else {
                succeed(d);
            }
            return;
        }
        int tok = ++d.stageToken;
        d.baseDone = false;
        d.baking = false;
        d.workDone = false;
        Service svc = d.service;
        boolean lb = svc.loadBalanced();
        Revision target = d.target;
        Revision blue = d.sources.isEmpty() ? null : d.sources.get(0);
        Duration base;
        switch (s.kind()) {
            case HOOK -> {
                base = scenario.minimumStageDuration();
                if ("RECONCILE_SERVICE".equals(s.stage())) {
                    for (Revision r : d.sources) {
                        if (r != blue) { // reconcile to one blue revision
                            setRequested(r, 0);
                            if (lb) {
                                r.productionWeight = 0.0;
                                r.testWeight = 0.0;
                            }
                        }
                    }
                }
            }
            case SCALE_UP -> {
                base = Duration.ZERO;
                setRequested(target, svc.desiredCount); // green scales to the full desired count (blue/green "how it works" page)
            }
            case TEST_SHIFT -> {
                base = shiftDuration(svc);
                if (lb && d.fault != Scenario.InfrastructureFault.NONE && d.fault != Scenario.InfrastructureFault.LAMBDA_ROLE) {
                    String reason = infrastructureFailure(d);
                    schedule(Duration.ZERO, () -> {
                        if (d.stageToken == tok && !d.halted()) {
                            fail(d, reason, true);
                        }
                        return null;
                    });
                } else if (lb) {
                    target.testWeight = 100.0;
                    for (Revision r : d.sources) {
                        r.testWeight = 0.0;
                    }
                    d.testShifted = true;
                }
            }
            case PROD_SHIFT -> {
                base = shiftDuration(svc);
                if (lb) {
                    target.productionWeight = s.weight();
                    for (Revision r : d.sources) {
                        r.productionWeight = r == blue ? round1(100.0 - s.weight()) : 0.0;
                    }
                    d.prodShifted = true;
                }
            }
            case BAKE -> base = Duration.ofMinutes(s.bakeMinutes());
            case ROLLING_REPLACE -> base = Duration.ZERO;
            case CLEAN_UP -> {
                base = scenario.cleanUp();
                for (Revision r : d.sources) {
                    setRequested(r, 0); // blue stays until CLEAN_UP (lifecycle-hooks page)
                    if (lb) {
                        r.productionWeight = 0.0;
                        r.testWeight = 0.0;
                    }
                }
            }
            case RB_PROD_SHIFT -> {
                base = shiftDuration(svc);
                target.productionWeight = 0.0;
                d.rollbackTo.productionWeight = 100.0;
            }
            case RB_TEST_SHIFT -> {
                base = shiftDuration(svc);
                target.testWeight = 0.0;
                d.rollbackTo.testWeight = 100.0;
            }
            case RB_CLEAN_UP -> {
                base = scenario.cleanUp();
                if (d.rollbackTo.requested < svc.desiredCount) {
                    setRequested(d.rollbackTo, svc.desiredCount);
                }
                if (d.rollbackTo.running >= svc.desiredCount) {
                    setRequested(target, 0);
                }
            }
            default -> throw new IllegalStateException(s.kind().toString());
        }
        boolean reported = d.advanced() ? !("PRE_PRODUCTION_TRAFFIC_SHIFT".equals(s.stage())
                && scenario.preProductionStageReport() == Scenario.PreProductionStageReport.PREVIOUS_STAGE)
                : scenario.rollingStageReport() == Scenario.RollingStageReport.REPORTED;
        if (reported) {
            d.lifecycleStage = s.stage();
        }
        d.updatedAt = now();
        d.history.add(new StageVisit(s.stage(), now(), null, d.rollingBack, target.productionWeight, target.testWeight));
        d.hooks = startHooks(d, s, tok);
        // Every stage lasts a little, so that a poller can observe it (docs/simulator.md, "Timing"); a ROLLING stage
        // without hooks takes no time (ROLLING reports no stage by default).
        if (base.compareTo(scenario.minimumStageDuration()) < 0 && (d.advanced() || !d.hooks.isEmpty())) {
            base = scenario.minimumStageDuration();
        }
        schedule(base, () -> {
            if (d.stageToken == tok && !d.halted()) {
                d.baseDone = true;
                check(d);
            }
            return null;
        });
        if (s.kind() == StepKind.ROLLING_REPLACE) {
            rollingTick(d);
        }
        if (s.kind() != StepKind.BAKE && d.advanced()) {
            schedule(scenario.stageTimeLimit(), () -> {
                if (d.stageToken != tok || d.halted() || d.workDone) {
                    return null;
                }
                // A PAUSE hook's own timeout governs while it waits (it may be up to 14 days: pause-hook page).
                for (HookExec h : d.hooks) {
                    if ("AWAITING_ACTION".equals(h.status)) {
                        return null;
                    }
                }
                // No statusReason text is published for the stage time limit: our own wording (docs/simulator.md).
                String reason = "Service deployment rolled back because lifecycle stage " + s.stage() + " exceeded the "
                        + scenario.stageTimeLimit().toHours() + "-hour stage time limit.";
                if (d.rollingBack) {
                    rollbackFailed(d, reason);
                } else {
                    fail(d, reason, true);
                }
                return null;
            });
        }
    }

    private void check(Deployment d) {
        Step s = d.step();
        if (s == null || d.halted() || d.workDone || !d.baseDone
                || "ROLLBACK_REQUESTED".equals(d.status) && !d.lateRollbackRequest) {
            return;
        }
        if (s.kind() == StepKind.ROLLING_REPLACE && !d.replaceDone) {
            return;
        }
        for (HookExec h : d.hooks) {
            if (!h.done()) {
                return; // all hooks on a stage must finish (lifecycle-hooks page)
            }
        }
        int desired = d.service.desiredCount;
        if (s.kind() == StepKind.SCALE_UP && d.target.running < desired) {
            return;
        }
        if (s.kind() == StepKind.RB_CLEAN_UP) {
            if (d.rollbackTo.running < desired) {
                return;
            }
            if (d.target.requested > 0) {
                setRequested(d.target, 0);
            }
        }
        d.workDone = true;
        if (s.kind() == StepKind.PROD_SHIFT && s.bakeMinutes() > 0) {
            d.baking = true;
            int tok = d.stageToken;
            schedule(Duration.ofMinutes(s.bakeMinutes()), () -> {
                if (d.stageToken == tok && !d.halted()) {
                    enterStep(d);
                }
                return null;
            });
            return;
        }
        enterStep(d);
    }

    /**
     * The statusReason of an {@link Scenario.InfrastructureFault} at TEST_TRAFFIC_SHIFT, worded as AWS publishes it
     * ("Troubleshooting Amazon ECS blue/green deployments",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html).
     */
    private String infrastructureFailure(Deployment d) {
        JsonNode ac = d.service.loadBalancers.get(0).path("advancedConfiguration");
        if (d.fault == Scenario.InfrastructureFault.INVALID_NETWORKING) {
            return "Service deployment rolled back because of invalid networking configuration. Both targetGroup and "
                    + "alternateTargetGroup must be associated with the productionListenerRule or testListenerRule.";
        }
        String role = ac.path("roleArn").asText("arn:aws:iam::" + account + ":role/ecsInfrastructureRole");
        String roleName = role.substring(role.lastIndexOf('/') + 1);
        String rule = ac.path("testListenerRule").asText(ac.path("productionListenerRule").asText(""));
        String action = rule.contains(":listener-rule/") ? "elasticloadbalancing:ModifyRule" : "elasticloadbalancing:ModifyListener";
        return "Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. User: arn:aws:sts::"
                + account + ":assumed-role/" + roleName + "/ECSNetworkingWithELB is not authorized to perform: " + action
                + " on resource: " + rule + " because no identity-based policy allows the " + action + " action";
    }

    // ------------------------------------------------------------------ hooks

    private List<HookExec> startHooks(Deployment d, Step s, int tok) {
        List<HookExec> out = new ArrayList<>();
        String hookStage = switch (s.kind()) {
            case HOOK, TEST_SHIFT, PROD_SHIFT -> s.stage();
            case RB_PROD_SHIFT -> "PRODUCTION_TRAFFIC_SHIFT"; // re-invoked during rollback (Lambda-hook page)
            case RB_TEST_SHIFT -> "TEST_TRAFFIC_SHIFT";
            default -> null;
        };
        if (hookStage == null) {
            return out;
        }
        Scenario.FirstDeploymentHooks first = scenario.firstDeploymentHooks();
        JsonNode hooks = d.configuration.get("lifecycleHooks");
        if (hooks == null) {
            return out;
        }
        for (JsonNode hook : hooks) {
            if (!Json.strings(hook, "lifecycleStages").contains(hookStage)) {
                continue;
            }
            String type = hook.path("targetType").asText("AWS_LAMBDA");
            boolean pause = "PAUSE".equals(type);
            if (d.rollingBack && (pause || !d.advanced())) {
                continue;
            }
            if (d.firstDeployment && (first == Scenario.FirstDeploymentHooks.NONE
                    || first == Scenario.FirstDeploymentHooks.LAMBDA_ONLY && pause)) {
                continue;
            }
            HookExec h = new HookExec();
            h.hookId = hookId(pause);
            h.executionId = uuid();
            h.stage = hookStage;
            h.targetType = type;
            h.targetArn = pause ? null : hook.path("hookTargetArn").asText(null);
            h.roleArn = pause ? null : hook.path("roleArn").asText(null);
            h.status = pause ? "AWAITING_ACTION" : "IN_PROGRESS";
            JsonNode tc = hook.get("timeoutConfiguration");
            int minutes = tc == null ? 1440 : tc.path("timeoutInMinutes").asInt(1440);
            h.timeoutAction = tc == null ? "ROLLBACK" : tc.path("action").asText("ROLLBACK");
            h.expiresAt = now().plus(Duration.ofMinutes(minutes));
            h.hookDetails = hook.has("hookDetails") ? hook.get("hookDetails").deepCopy() : null;
            h.rollbackPhase = d.rollingBack;
            d.allHooks.put(h.hookId, h);
            events.hookStatus(d, h, h.status);
            out.add(h);
            if (!pause) {
                schedule(Duration.ZERO, invoke(d, h, tok));
            }
            schedule(Duration.ofMinutes(minutes), () -> {
                if (d.stageToken != tok || h.terminal() || d.halted()) {
                    return null;
                }
                h.status = "TIMED_OUT";
                events.hookStatus(d, h, h.status);
                d.updatedAt = now();
                if ("CONTINUE".equals(h.timeoutAction)) {
                    check(d);
                } else if (d.rollingBack) {
                    rollbackFailed(d, "Rollback failed because " + h.stage + " lifecycle hook(s) timed out.");
                } else {
                    // The PAUSE text is published (troubleshooting guide, "Pause hook timed out"); the Lambda one is not:
                    // our own wording in the same pattern.
                    fail(d, pause ? "Service deployment rolled back because " + h.stage + " pause hook timed out."
                            : "Service deployment rolled back because " + h.stage + " lifecycle hook(s) timed out.", true);
                }
                return null;
            });
        }
        return out;
    }

    private Action invoke(Deployment d, HookExec h, int tok) {
        return () -> {
            if (d.stageToken != tok || h.terminal() || d.halted()) {
                return null;
            }
            h.invocations++;
            LambdaEvent ev = event(d, h);
            lambdas.record(ev);
            LambdaHandler handler = lambdas.handler(h.targetArn);
            return () -> {
                HookResponse resp = null;
                String error = null;
                if (d.fault == Scenario.InfrastructureFault.LAMBDA_ROLE) {
                    error = "ECS was unable to assume role " + h.roleArn;
                } else if (handler == null) {
                    error = "ECS was unable to invoke hook target " + h.targetArn + " due to Function not found: " + h.targetArn;
                } else {
                    try {
                        resp = handler.handle(ev);
                    } catch (Exception ex) {
                        error = "ECS was unable to invoke hook target " + h.targetArn + " due to Unhandled function error: " + ex;
                    }
                }
                synchronized (Controller.this) {
                    applyLambda(d, h, tok, resp, error);
                }
            };
        };
    }

    private void applyLambda(Deployment d, HookExec h, int tok, HookResponse resp, String error) {
        if (d.stageToken != tok || h.terminal() || d.halted()) {
            return;
        }
        d.updatedAt = now();
        String status = resp == null ? null : resp.hookStatus();
        if (error != null || !"IN_PROGRESS".equals(status)) {
            events.hookStatus(d, h, error == null && "SUCCEEDED".equals(status) ? "SUCCEEDED" : "FAILED");
        }
        if (error == null && "SUCCEEDED".equals(status)) {
            h.status = "SUCCEEDED";
            check(d);
        } else if (error == null && "IN_PROGRESS".equals(status)) {
            if (resp.hookDetails() != null && resp.hookDetails().isObject()) {
                ObjectNode merged = h.hookDetails != null && h.hookDetails.isObject()
                        ? (ObjectNode) h.hookDetails.deepCopy() : Json.obj();
                merged.setAll((ObjectNode) resp.hookDetails().deepCopy());
                h.hookDetails = merged;
            }
            int delay = resp.callBackDelay() == null ? 30 : Math.max(1, resp.callBackDelay());
            schedule(Duration.ofSeconds(delay), invoke(d, h, tok));
        } else {
            h.status = "FAILED";
            // Worded as AWS publishes them (troubleshooting guide "Lambda hook returns FAILED status", "Lambda function
            // timeout or invalid response", "Missing permission to invoke Lambda function"); an unknown hookStatus
            // value has no published text: our own wording after "due to".
            String detail = error != null ? error
                    : "FAILED".equals(status) ? "Lifecycle hook target " + h.targetArn + " returned FAILED status."
                    : "ECS was unable to parse the response from " + h.targetArn + " due to "
                    + (status == null ? "HookStatus must not be null" : "HookStatus '" + status + "' is not a valid value");
            if (d.rollingBack) {
                rollbackFailed(d, "Rollback failed because " + h.stage + " lifecycle hook(s) failed. " + detail);
            } else {
                fail(d, "Service deployment rolled back because " + h.stage + " lifecycle hook(s) failed. " + detail, true);
            }
        }
    }

    private LambdaEvent event(Deployment d, HookExec h) {
        Map<String, Double> test = new LinkedHashMap<>();
        Map<String, Double> prod = new LinkedHashMap<>();
        Revision blue = d.rollbackTo != null ? d.rollbackTo : d.sources.isEmpty() ? null : d.sources.get(0);
        if (d.service.loadBalanced()) {
            Map<String, Double> m = switch (h.stage) {
                case "TEST_TRAFFIC_SHIFT" -> test;
                case "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT" -> prod;
                default -> null;
            };
            if (m != null) {
                boolean testMap = m == test;
                m.put(d.target.arn, nz(testMap ? d.target.testWeight : d.target.productionWeight));
                if (blue != null) {
                    m.put(blue.arn, nz(testMap ? blue.testWeight : blue.productionWeight));
                }
            }
        }
        return new LambdaEvent(h.targetArn, h.executionId, h.stage, d.arn, d.service.arn, d.target.arn, test, prod,
                h.hookDetails == null ? null : h.hookDetails.deepCopy(), h.invocations);
    }

    private static double nz(Double d) {
        return d == null ? 0.0 : d;
    }

    /** Refusal texts of ContinueServiceDeployment, as the troubleshooting guide publishes them. */
    static final String HOOK_ID_FORMAT = "Invalid hookId: hookId must follow the format: ecs-{hookType}-{id}";
    static final String HOOK_NOT_AVAILABLE =
            "Provided hookId is either completed, unavailable, or not associated with the given Resource ARN";
    static final String TERMINAL_DEPLOYMENT =
            "Continuing a service deployment is not allowed for service deployment in terminal states.";

    /**
     * ContinueServiceDeployment. The refusals carry ECS's published texts (troubleshooting guide, "Invalid hookId
     * format", "hookId not found or expired", "Deployment in terminal state"); the exception type is not published
     * (InvalidParameterException here, docs/simulator.md A19). A Lambda hook's id is refused like a completed one.
     */
    void continueHook(Deployment d, String hookId, String action) {
        if (!hookId.matches("ecs-[A-Za-z]+-[A-Za-z0-9_-]+")) {
            throw AwsError.invalid(HOOK_ID_FORMAT);
        }
        if (d.terminal()) {
            throw AwsError.invalid(TERMINAL_DEPLOYMENT);
        }
        HookExec h = d.allHooks.get(hookId);
        if (h == null || !"PAUSE".equals(h.targetType) || !d.hooks.contains(h) || !"AWAITING_ACTION".equals(h.status)
                || d.halted() || d.rollingBack) {
            throw AwsError.invalid(HOOK_NOT_AVAILABLE);
        }
        d.updatedAt = now();
        events.hookStatus(d, h, "ROLLBACK".equals(action) ? "FAILED" : "SUCCEEDED");
        if ("ROLLBACK".equals(action)) {
            h.status = "FAILED";
            // No statusReason text is published for a pause hook answered ROLLBACK: our own wording (docs/simulator.md).
            fail(d, "Service deployment rolled back because " + h.stage + " pause hook was continued with action ROLLBACK.", true);
        } else {
            h.status = "SUCCEEDED";
            check(d);
        }
    }

    // ------------------------------------------------------------------ rolling

    private void rollingTick(Deployment d) {
        Service svc = d.service;
        int n = svc.desiredCount;
        Revision target = d.target;
        if (d.halted()) {
            return;
        }
        if (d.rollingBack) {
            if ("ROLLBACK_REQUESTED".equals(d.status)) {
                return;
            }
            Revision back = d.rollbackTo;
            if (back.running >= n) {
                setRequested(target, 0);
                for (Revision r : d.sources) {
                    if (r != back) {
                        setRequested(r, 0);
                    }
                }
                finishRollback(d);
            }
            return;
        }
        Step step = d.step();
        if (step == null || step.kind() != StepKind.ROLLING_REPLACE || d.replaceDone) {
            return; // PRE_SCALE_UP hooks first; after the replacement nothing moves until success
        }
        JsonNode c = d.configuration;
        int maxPercent = c.path("maximumPercent").asInt(200);
        int minPercent = c.path("minimumHealthyPercent").asInt(100);
        int maxTotal = (int) Math.floor(n * maxPercent / 100.0); // rounded down (DeploymentConfiguration API reference)
        int minHealthy = (int) Math.ceil(n * minPercent / 100.0); // rounded up
        target.requested = n;
        int oldRunning = 0;
        int oldPending = 0;
        for (Revision r : d.sources) {
            oldRunning += r.running;
            oldPending += r.pending;
        }
        int canStop = target.running >= n ? oldRunning : Math.max(0, target.running + oldRunning - minHealthy);
        for (int i = d.sources.size() - 1; i >= 0 && canStop > 0; i--) {
            Revision r = d.sources.get(i);
            int k = Math.min(r.running, canStop);
            stopTasks(r, k);
            r.requested = r.running;
            if (r.pending > 0) {
                r.generation++;
                r.pending = 0;
            }
            canStop -= k;
            oldRunning -= k;
            r.updatedAt = now();
        }
        // Draining tasks still run, so they count against maximumPercent (tasks in the RUNNING or PENDING state) but
        // not towards minimumHealthyPercent (they are leaving the load balancer).
        int draining = target.draining;
        for (Revision r : d.sources) {
            draining += r.draining;
        }
        int total = target.running + target.pending + oldRunning + oldPending + draining;
        int need = n - target.running - target.pending;
        int room = maxTotal - total;
        if (need > 0 && room > 0) {
            launch(target, Math.min(need, room));
        }
        if (target.running > n) {
            target.running = n;
        }
        JsonNode early = c.path("earlySuccessCriteria");
        boolean done;
        if (early.path("enable").asBoolean(false)) {
            // Early success criteria (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/early-success-criteria.html):
            // complete once healthyPercent of the desired count runs the new revision. BLOCKING removes the old tasks
            // before completing; DEFERRED completes first and removes them in the background (succeed()).
            int healthy = (int) Math.ceil(n * early.path("healthyPercent").asInt(100) / 100.0);
            done = target.running >= healthy;
            if (done && "BLOCKING".equals(early.path("sourceServiceRevisionCleanup").asText())) {
                for (Revision r : d.sources) {
                    stopTasks(r, r.running);
                    r.requested = 0;
                }
            }
        } else {
            done = target.running >= n && oldRunning == 0;
        }
        if (done) {
            d.replaceDone = true;
            check(d);
        }
    }

    // ------------------------------------------------------------------ outcomes

    /** ECS's statusReason when a rollback has no revision to return to (Terraform's createFailure acceptance test). */
    static final String NO_ROLLBACK_CANDIDATE = "No rollback candidate was found to run the rollback.";

    /**
     * A failure. With rollback wanted: back to the last completed revision, or, when there is none (the service's
     * first deployment, or every earlier one failed), ROLLBACK_IN_PROGRESS then ROLLBACK_FAILED "No rollback candidate
     * was found to run the rollback." with the tasks and traffic weights left as they are. Without rollback:
     * STOP_REQUESTED, then STOPPED. docs/simulator.md, "Statuses".
     */
    void fail(Deployment d, String reason, boolean wantRollback) {
        if (d.halted() || d.rollingBack) {
            return;
        }
        if (!wantRollback) {
            stopWithoutRollback(d, reason);
        } else if (d.rollbackTo != null) {
            startRollback(d, reason, false);
        } else {
            noRollbackCandidate(d, reason);
        }
    }

    /** STOP_REQUESTED now, STOPPED after {@link Scenario#requestedDelay()}; the new revision keeps its tasks. */
    void stopWithoutRollback(Deployment d, String reason) {
        d.stageToken++;
        closeVisit(d);
        d.stopping = true;
        d.hooks = new ArrayList<>();
        setStatus(d, "STOP_REQUESTED", reason);
        schedule(scenario.requestedDelay(), () -> {
            if ("STOP_REQUESTED".equals(d.status)) {
                d.stoppedAt = now();
                d.finishedAt = now();
                completeMonitors(d);
                setStatus(d, "STOPPED", null);
                freeze(d);
            }
            return null;
        });
    }

    private void noRollbackCandidate(Deployment d, String reason) {
        d.rollingBack = true;
        d.stageToken++;
        closeVisit(d);
        d.hooks = new ArrayList<>();
        d.rollbackReason = reason;
        d.rollbackStartedAt = now();
        d.rollbackRevisionArn = null;
        setStatus(d, "ROLLBACK_IN_PROGRESS", reason);
        schedule(scenario.minimumStageDuration(), () -> {
            if (!d.terminal()) {
                rollbackFailed(d, NO_ROLLBACK_CANDIDATE);
            }
            return null;
        });
    }

    /**
     * StopServiceDeployment(ROLLBACK), from PENDING or IN_PROGRESS: ROLLBACK_REQUESTED, then the rollback (stop-service-
     * deployment page). A request that arrives when there is nothing left to undo (CLEAN_UP has removed the old
     * revision's tasks) lets the deployment finish SUCCESSFUL; one without a revision to return to ends ROLLBACK_FAILED
     * like any rollback without a candidate (both choices: docs/simulator.md, A7).
     */
    void stop(Deployment d) {
        switch (d.status) {
            case "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED" -> {
                return; // keeps going (stop-service-deployment page)
            }
            case "PENDING", "IN_PROGRESS" -> {
                // No statusReason text is published for a stop: our own wording (docs/simulator.md).
                String reason = "Service deployment rolled back because of a StopServiceDeployment request.";
                Step s = d.step();
                if (d.advanced() && s != null && s.kind() == StepKind.CLEAN_UP && !d.rollingBack) {
                    d.lateRollbackRequest = true;
                    setStatus(d, "ROLLBACK_REQUESTED", reason);
                } else if (d.rollbackTo != null) {
                    startRollback(d, reason, true);
                } else {
                    d.stageToken++;
                    closeVisit(d);
                    setStatus(d, "ROLLBACK_REQUESTED", reason);
                    schedule(scenario.requestedDelay(), () -> {
                        if ("ROLLBACK_REQUESTED".equals(d.status)) {
                            noRollbackCandidate(d, reason);
                        }
                        return null;
                    });
                }
            }
            default -> throw AwsError.conflict("The service deployment " + d.arn + " is already " + d.status
                    + " and cannot be stopped.");
        }
    }

    private void startRollback(Deployment d, String reason, boolean requested) {
        d.rollingBack = true;
        d.stageToken++;
        closeVisit(d);
        d.rollbackReason = reason;
        d.rollbackStartedAt = now();
        d.rollbackRevisionArn = d.rollbackTo.arn;
        d.target.generation++;
        d.target.pending = 0;
        d.workDone = false;
        Runnable go = () -> {
            if (!"ROLLBACK_IN_PROGRESS".equals(d.status)) {
                setStatus(d, "ROLLBACK_IN_PROGRESS", reason);
            }
            if (d.advanced()) {
                boolean lb = d.service.loadBalanced();
                List<Step> p = new ArrayList<>();
                if (lb && d.prodShifted) {
                    p.add(new Step("PRODUCTION_TRAFFIC_SHIFT", StepKind.RB_PROD_SHIFT, 0, 0));
                }
                if (lb && d.testShifted) {
                    p.add(new Step("TEST_TRAFFIC_SHIFT", StepKind.RB_TEST_SHIFT, 0, 0));
                }
                p.add(new Step("CLEAN_UP", StepKind.RB_CLEAN_UP, 0, 0));
                d.plan = p;
                d.stepIndex = -1;
                enterStep(d);
            } else {
                setRequested(d.rollbackTo, d.service.desiredCount);
                rollingTick(d);
            }
        };
        if (requested) {
            setStatus(d, "ROLLBACK_REQUESTED", reason);
            schedule(scenario.requestedDelay(), () -> {
                if ("ROLLBACK_REQUESTED".equals(d.status)) {
                    go.run();
                }
                return null;
            });
        } else {
            setStatus(d, "ROLLBACK_IN_PROGRESS", reason);
            go.run();
        }
    }

    void finishRollback(Deployment d) {
        Service svc = d.service;
        closeVisit(d);
        d.finishedAt = now();
        svc.taskDefinitionArn = d.rollbackTo.taskDef.arn;
        svc.primary = d.rollbackTo;
        for (Revision r : d.sources) {
            if (r != d.rollbackTo && r.requested > 0) {
                setRequested(r, 0);
            }
        }
        if (d.target.requested > 0) {
            setRequested(d.target, 0);
        }
        if (svc.loadBalanced() && d.advanced()) {
            d.target.productionWeight = 0.0;
            d.target.testWeight = 0.0;
            d.rollbackTo.productionWeight = 100.0;
            d.rollbackTo.testWeight = 100.0;
        }
        completeMonitors(d);
        setStatus(d, "ROLLBACK_SUCCESSFUL", null);
        event(svc, "(service " + svc.name + ") rolled back to service revision " + d.rollbackTo.arn + ".");
        freeze(d);
    }

    private void rollbackFailed(Deployment d, String reason) {
        d.stageToken++;
        closeVisit(d);
        d.finishedAt = now();
        completeMonitors(d);
        setStatus(d, "ROLLBACK_FAILED", reason);
        freeze(d);
    }

    private void succeed(Deployment d) {
        Service svc = d.service;
        closeVisit(d);
        d.finishedAt = now();
        svc.lastCompleted = d.target;
        svc.primary = d.target;
        for (Revision r : d.sources) {
            if (r.requested > 0 || r.running > 0) {
                setRequested(r, 0);
            }
        }
        if (svc.loadBalanced() && d.advanced()) {
            d.target.productionWeight = 100.0;
            d.target.testWeight = 100.0;
            for (Revision r : d.sources) {
                r.productionWeight = 0.0;
                r.testWeight = 0.0;
            }
        }
        if (d.target.targetGroup != null) {
            svc.liveTargetGroup = d.target.targetGroup;
        }
        completeMonitors(d);
        // The service deployment page: ROLLBACK_REQUESTED can still end SUCCESSFUL. Our own wording for why.
        setStatus(d, "SUCCESSFUL", d.lateRollbackRequest
                ? "The rollback was requested after the source revision had been removed; the deployment completed." : null);
        if (!d.advanced()) {
            setRequested(d.target, svc.desiredCount); // early success: the target keeps scaling up (early-success page)
        }
        event(svc, "(service " + svc.name + ") has reached a steady state.");
        freeze(d);
    }

    /** Seeding: completes a deployment at once (tasks running, SUCCESSFUL), so later rollbacks have a revision to return to. */
    void completeNow(Deployment d) {
        d.stageToken++;
        if (!"IN_PROGRESS".equals(d.status)) {
            d.startedAt = now();
            setStatus(d, "IN_PROGRESS", null);
        }
        Revision t = d.target;
        t.generation++;
        t.pending = 0;
        t.requested = d.service.desiredCount;
        t.running = d.service.desiredCount;
        d.status = "IN_PROGRESS";
        succeed(d);
    }

    private void completeMonitors(Deployment d) {
        if ("MONITORING".equals(d.alarmsStatus)) {
            d.alarmsStatus = "MONITORING_COMPLETE";
        }
        if ("MONITORING".equals(d.cbStatus)) {
            d.cbStatus = "MONITORING_COMPLETE";
        }
    }

    void event(Service svc, String message) {
        ObjectNode e = Json.obj();
        e.put("id", uuid());
        Json.putTs(e, "createdAt", now());
        e.put("message", message);
        svc.events.add(0, e);
        if (svc.events.size() > 100) {
            svc.events.remove(svc.events.size() - 1);
        }
    }

    private void freeze(Deployment d) {
        d.frozenTarget = summary(d.target, d);
        ArrayNode a = Json.arr();
        for (Revision r : d.sources) {
            a.add(summary(r, d));
        }
        d.frozenSources = a;
    }

    ObjectNode summary(Revision r, Deployment d) {
        ObjectNode s = Json.obj();
        s.put("arn", r.arn);
        s.put("requestedTaskCount", r.requested);
        s.put("runningTaskCount", r.running + r.draining); // draining tasks still run (docs/simulator.md, "Statuses")
        s.put("pendingTaskCount", r.pending);
        if (d.advanced() && r.testWeight != null) {
            s.put("requestedTestTrafficWeight", r.testWeight);
        }
        if (d.advanced() && r.productionWeight != null) {
            s.put("requestedProductionTrafficWeight", r.productionWeight);
        }
        return s;
    }

    /** Steady-state scaling (UpdateService desiredCount without a new deployment). */
    void scale(Service svc) {
        Deployment d = svc.ongoing();
        if (d == null) {
            if (svc.primary != null) {
                setRequested(svc.primary, svc.desiredCount);
            }
            return;
        }
        if ("ROLLING".equals(d.strategy)) {
            rollingTick(d);
            return;
        }
        Step s = d.step();
        if (s != null && !d.rollingBack && d.target.requested > 0) {
            setRequested(d.target, svc.desiredCount);
        }
        for (Revision r : d.sources) {
            if (r.requested > 0) {
                setRequested(r, svc.desiredCount);
            }
        }
        if (d.rollingBack && d.rollbackTo != null) {
            setRequested(d.rollbackTo, svc.desiredCount);
        }
    }

    Map<String, Long> countsByStatus() {
        Map<String, Long> m = new HashMap<>();
        deployments.values().forEach(d -> m.merge(d.status, 1L, Long::sum));
        return m;
    }
}
