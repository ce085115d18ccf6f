package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/** Test helpers for cutovers: clients over a given Route 53, a scripted health probe, an event recorder. */
final class CutoverKit {
    private CutoverKit() {}

    static CutoverClients clients(Route53Client route53) {
        return clients(route53, null, null);
    }

    static CutoverClients clients(Route53Client route53, EcsClient ecs, ElasticLoadBalancingV2Client elb) {
        return new CutoverClients() {
            public Route53Client route53() { return route53; }
            public EcsClient ecs(String region, String roleArn) {
                if (ecs == null) {
                    throw new AssertionError("no ECS call expected");
                }
                return ecs;
            }
            public ElasticLoadBalancingV2Client elb(String region, String roleArn) {
                if (elb == null) {
                    throw new AssertionError("no ELB call expected");
                }
                return elb;
            }
            public void close() {}
        };
    }

    static EngineConfig config(io.jenkins.plugins.ecsdeploy.engine.time.Scheduler s) {
        return EngineConfig.builder().region("eu-west-1").scheduler(s).build();
    }

    /** Answers the health check from a script (status or null = no answer), then the last entry forever. */
    static final class ScriptedProbe implements HealthProbe {
        final Deque<Integer> script = new ArrayDeque<>();
        final List<String> urls = Collections.synchronizedList(new ArrayList<>());

        ScriptedProbe(Integer... statuses) {
            script.addAll(List.of(statuses));
        }

        @Override
        public synchronized CompletableFuture<Result> get(String url, Duration timeout) {
            urls.add(url);
            Integer s = script.size() > 1 ? script.poll() : script.peek();
            return CompletableFuture.completedFuture(s == null || s < 0 ? new Result(null, "connection refused") : new Result(s, null));
        }
    }

    /** Every event, every gate offered; futures that complete when a condition first holds. */
    static final class Recorder implements CutoverListener, CutoverGateHandler {
        final List<CutoverEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<PendingCutoverGate> gates = Collections.synchronizedList(new ArrayList<>());
        volatile CutoverSnapshot last;
        private final List<Object[]> watches = new ArrayList<>();

        @Override
        public void onEvent(CutoverEvent event, CutoverSnapshot snapshot) {
            events.add(event);
            last = snapshot;
            check();
        }

        @Override
        public void onGate(PendingCutoverGate gate) {
            gates.add(gate);
            check();
        }

        @SuppressWarnings("unchecked")
        private void check() {
            synchronized (watches) {
                for (Object[] w : watches) {
                    var f = (CompletableFuture<Void>) w[1];
                    if (!f.isDone() && ((Predicate<Recorder>) w[0]).test(this)) {
                        f.complete(null);
                    }
                }
            }
        }

        CompletableFuture<Void> when(Predicate<Recorder> p) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            synchronized (watches) {
                if (p.test(this)) {
                    f.complete(null);
                } else {
                    watches.add(new Object[] {p, f});
                }
            }
            return f;
        }

        CompletableFuture<Void> gate(int afterStep) {
            return when(r -> r.gates.stream().anyMatch(g -> g.afterStep() == afterStep));
        }

        PendingCutoverGate gateAfter(int step) {
            return gates.stream().filter(g -> g.afterStep() == step).findFirst().orElseThrow();
        }

        <T extends CutoverEvent> List<T> all(Class<T> type) {
            synchronized (events) {
                return events.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }
    }
}
