package io.jenkins.plugins.ecsdeploy.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.LambdaHook;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.ecs.model.DeploymentAlarms;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentEarlySuccessCriteria;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;

/**
 * The FULL deploymentConfiguration UpdateService receives: whether ECS merges or replaces a partial structure is
 * not documented (docs/engine.md "3. Start"), so the engine always sends everything — the service's current settings that
 * the request does not change, the request's strategy settings, the Lambda hooks and one PAUSE hook per gate.
 *
 * <p>PAUSE hooks belong to the engine: every PAUSE hook of the current configuration is dropped and the request's
 * gates put in their place. A PAUSE hook carries no name or tag (only stages and a timeout), so "ours" cannot be
 * told apart from one placed by hand; and a PAUSE hook nobody answers holds the deployment until its timeout
 * action (by default a rollback), so keeping a stranger's would be worse. Re-deploying therefore never accumulates
 * PAUSE hooks. Lambda hooks: the request's list replaces the service's when it is not empty; an empty list keeps
 * the service's Lambda hooks (they are usually configured with the service, e.g. in Terraform).
 */
public final class DeploymentConfigurations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentConfigurations() {}

    public static DeploymentConfiguration merge(DeploymentConfiguration current, DeploymentRequest r) {
        DeploymentConfiguration.Builder b = current == null ? DeploymentConfiguration.builder() : current.toBuilder();
        Strategy s = r.strategy();
        b.strategy(s.ecsName());
        // The circuit breaker acts with every strategy (docs/engine.md "Circuit breaker"); its thresholdConfiguration
        // and resetOnHealthyTask are kept.
        if (s.circuitBreaker() != null) {
            DeploymentCircuitBreaker.Builder cb = current != null && current.deploymentCircuitBreaker() != null
                    ? current.deploymentCircuitBreaker().toBuilder() : DeploymentCircuitBreaker.builder();
            cb.enable(s.circuitBreaker());
            cb.rollback(s.circuitBreakerRollback() != null ? s.circuitBreakerRollback() : s.circuitBreaker());
            b.deploymentCircuitBreaker(cb.build());
        }
        // earlySuccessCriteria only with ROLLING (DeploymentEarlySuccessCriteria API reference): dropped for the others,
        // the service's kept for ROLLING unless the request sets it.
        if (!(s instanceof Strategy.Rolling)) {
            b.earlySuccessCriteria((DeploymentEarlySuccessCriteria) null);
        }
        // canaryConfiguration only with CANARY, linearConfiguration only with LINEAR (DeploymentConfiguration API reference).
        if (s instanceof Strategy.Rolling ro) {
            b.canaryConfiguration((software.amazon.awssdk.services.ecs.model.CanaryConfiguration) null);
            b.linearConfiguration((software.amazon.awssdk.services.ecs.model.LinearConfiguration) null);
            if (ro.minimumHealthyPercent() != null) {
                b.minimumHealthyPercent(ro.minimumHealthyPercent());
            }
            if (ro.maximumPercent() != null) {
                b.maximumPercent(ro.maximumPercent());
            }
            if (ro.earlySuccess() != null) {
                b.earlySuccessCriteria(DeploymentEarlySuccessCriteria.builder().enable(true)
                        .healthyPercent(ro.earlySuccess().healthyPercent())
                        .sourceServiceRevisionCleanup(ro.earlySuccess().sourceCleanup()).build());
            }
        } else if (s instanceof Strategy.BlueGreen bg) {
            b.canaryConfiguration((software.amazon.awssdk.services.ecs.model.CanaryConfiguration) null);
            b.linearConfiguration((software.amazon.awssdk.services.ecs.model.LinearConfiguration) null);
            b.bakeTimeInMinutes(bg.bakeMinutes());
        } else if (s instanceof Strategy.Canary c) {
            b.linearConfiguration((software.amazon.awssdk.services.ecs.model.LinearConfiguration) null);
            var cur = current == null ? null : current.canaryConfiguration();
            var cc = cur == null ? software.amazon.awssdk.services.ecs.model.CanaryConfiguration.builder() : cur.toBuilder();
            if (c.canaryPercent() != null) {
                cc.canaryPercent(c.canaryPercent());
            }
            if (c.canaryBakeMinutes() != null) {
                cc.canaryBakeTimeInMinutes(c.canaryBakeMinutes());
            }
            b.canaryConfiguration(cc.build());
            if (c.bakeMinutes() != null) {
                b.bakeTimeInMinutes(c.bakeMinutes());
            }
        } else if (s instanceof Strategy.Linear l) {
            b.canaryConfiguration((software.amazon.awssdk.services.ecs.model.CanaryConfiguration) null);
            var cur = current == null ? null : current.linearConfiguration();
            var lc = cur == null ? software.amazon.awssdk.services.ecs.model.LinearConfiguration.builder() : cur.toBuilder();
            if (l.stepPercent() != null) {
                lc.stepPercent(l.stepPercent());
            }
            if (l.stepBakeMinutes() != null) {
                lc.stepBakeTimeInMinutes(l.stepBakeMinutes());
            }
            b.linearConfiguration(lc.build());
            if (l.bakeMinutes() != null) {
                b.bakeTimeInMinutes(l.bakeMinutes());
            }
        }
        if (r.alarms() != null) {
            b.alarms(DeploymentAlarms.builder().alarmNames(r.alarms().names()).enable(true)
                    .rollback(r.alarms().rollback()).build());
        }
        b.lifecycleHooks(hooks(current, r));
        return b.build();
    }

    static List<DeploymentLifecycleHook> hooks(DeploymentConfiguration current, DeploymentRequest r) {
        List<DeploymentLifecycleHook> out = new ArrayList<>();
        if (r.hooks().isEmpty()) {
            if (current != null && current.hasLifecycleHooks()) {
                for (DeploymentLifecycleHook h : current.lifecycleHooks()) {
                    if (!isPause(h)) {
                        out.add(h);
                    }
                }
            }
        } else {
            for (LambdaHook h : r.hooks()) {
                out.add(lambda(h));
            }
        }
        for (Gate g : r.pauseGates()) { // the caller's gates and the analysis's (docs/analysis.md)
            out.add(pause(g));
        }
        return out;
    }

    /**
     * A PAUSE hook. Not confirmed either way: DescribeServices may echo a PAUSE hook with only its stages (docs/engine.md "3. Start"),
     * so a hook with neither target type nor target ARN counts as PAUSE too (a Lambda hook always has its ARN).
     */
    public static boolean isPause(DeploymentLifecycleHook h) {
        return "PAUSE".equals(h.targetTypeAsString()) || h.targetTypeAsString() == null && h.hookTargetArn() == null;
    }

    public static DeploymentLifecycleHook pause(Gate g) {
        return DeploymentLifecycleHook.builder().targetType("PAUSE").lifecycleStagesWithStrings(g.stage())
                .timeoutConfiguration(t -> t.timeoutInMinutes(g.timeoutMinutes()).action(g.timeoutAction().name()))
                .build();
    }

    public static DeploymentLifecycleHook lambda(LambdaHook h) {
        DeploymentLifecycleHook.Builder b = DeploymentLifecycleHook.builder().targetType("AWS_LAMBDA")
                .hookTargetArn(h.functionArn()).roleArn(h.roleArn()).lifecycleStagesWithStrings(h.stages());
        if (h.hookDetailsJson() != null && !h.hookDetailsJson().isBlank()) {
            try {
                b.hookDetails(toDocument(JSON.readTree(h.hookDetailsJson())));
            } catch (Exception e) {
                throw new IllegalArgumentException("hookDetails: not JSON (the validator should have said so)", e);
            }
        }
        if (h.timeoutMinutes() != null || h.timeoutAction() != null) {
            b.timeoutConfiguration(t -> {
                if (h.timeoutMinutes() != null) {
                    t.timeoutInMinutes(h.timeoutMinutes());
                }
                if (h.timeoutAction() != null) {
                    t.action(h.timeoutAction().name());
                }
            });
        }
        return b.build();
    }

    static Document toDocument(JsonNode n) {
        if (n == null || n.isNull()) {
            return Document.fromNull();
        }
        if (n.isObject()) {
            Map<String, Document> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), toDocument(e.getValue())));
            return Document.fromMap(m);
        }
        if (n.isArray()) {
            List<Document> l = new ArrayList<>();
            n.forEach(x -> l.add(toDocument(x)));
            return Document.fromList(l);
        }
        if (n.isBoolean()) {
            return Document.fromBoolean(n.booleanValue());
        }
        if (n.isNumber()) {
            return Document.fromNumber(SdkNumber.fromBigDecimal(new BigDecimal(n.asText())));
        }
        return Document.fromString(n.asText());
    }
}
