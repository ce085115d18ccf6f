package io.jenkins.plugins.ecsdeploy.engine.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * A release at one moment: its waves (each with its gate) and its services (each with its deployment's own snapshot),
 * for the group page and the step's result. JSON: docs/releases.md "The release snapshot".
 */
public record ReleaseSnapshot(String name, String status, int currentWave, String causeService, String reason,
                              List<Wave> waves, List<Service> services, ReleaseOutcome outcome) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ReleaseSnapshot {
        waves = waves == null ? List.of() : List.copyOf(waves);
        services = services == null ? List.of() : List.copyOf(services);
    }

    /**
     * One wave. {@code state}: PENDING, RUNNING, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, REVERTED, NOT_STARTED (the
     * release ended before it). {@code gate}: NONE (no gates), PENDING (not every service waits yet), WAITING,
     * CONTINUED, ROLLED_BACK, CLOSED.
     */
    public record Wave(int index, List<String> services, String state, String gate, String gateDecidedBy, Instant gateExpiresAt) {
        public Wave {
            services = services == null ? List.of() : List.copyOf(services);
        }
    }

    /**
     * One service. {@code state}: PENDING, STARTING, RUNNING, AT_GATE, SUCCEEDED, FAILED, ROLLED_BACK, ROLLING_BACK,
     * REVERTING, REVERTED, REVERT_FAILED, NOT_REVERTIBLE, NOT_STARTED.
     */
    public record Service(String name, int wave, String region, String cluster, String service, String state,
                          String deploymentArn, String outcome, String revertArn, String note, DeploymentSnapshot snapshot) {
    }

    public Service service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    public boolean finished() {
        return outcome != null;
    }

    public ObjectNode toJsonNode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "release");
        o.put("name", name);
        o.put("status", status);
        o.put("currentWave", currentWave);
        o.put("causeService", causeService);
        o.put("reason", reason);
        ArrayNode w = o.putArray("waves");
        for (Wave x : waves) {
            ObjectNode n = w.addObject();
            n.put("index", x.index());
            x.services().forEach(n.putArray("services")::add);
            n.put("state", x.state());
            n.put("gate", x.gate());
            n.put("gateDecidedBy", x.gateDecidedBy());
            n.put("gateExpiresAt", x.gateExpiresAt() == null ? null : x.gateExpiresAt().toString());
        }
        ArrayNode s = o.putArray("services");
        for (Service x : services) {
            ObjectNode n = s.addObject();
            n.put("name", x.name());
            n.put("wave", x.wave());
            n.put("region", x.region());
            n.put("cluster", x.cluster());
            n.put("service", x.service());
            n.put("state", x.state());
            n.put("deploymentArn", x.deploymentArn());
            n.put("outcome", x.outcome());
            n.put("revertArn", x.revertArn());
            n.put("note", x.note());
            if (x.snapshot() != null) {
                n.set("deployment", x.snapshot().toJsonNode());
            }
        }
        if (outcome != null) {
            ObjectNode n = o.putObject("outcome");
            n.put("kind", outcome.kind().name());
            n.put("causeService", outcome.causeService());
            n.put("reason", outcome.reason());
            ObjectNode per = n.putObject("services");
            outcome.services().forEach(per::put);
        }
        return o;
    }

    public String toJson() {
        return toJsonNode().toString();
    }
}
