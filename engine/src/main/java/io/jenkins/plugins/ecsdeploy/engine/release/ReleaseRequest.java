package io.jenkins.plugins.ecsdeploy.engine.release;

import java.util.ArrayList;
import java.util.List;

/**
 * Several deployments released as one, in ordered waves (docs/releases.md): the services of a wave start together;
 * the next wave starts when every deployment of the previous one SUCCEEDED; when one fails or is rolled back, the others
 * of its wave are rolled back and every earlier wave is reverted (its previous revision deployed again).
 *
 * @param name     shown on the page and in messages, e.g. "shop 1.4"
 * @param services the deployments, each with its name
 * @param waves    service names per wave, in order; every service in exactly one wave
 * @param gate     one gate per wave (null: none — each wave goes on as soon as the previous one succeeded)
 * @param approval the policy of the wave gates (null: anyone allowed to decide; docs/approvals.md "Approval policy")
 */
public record ReleaseRequest(String name, List<ReleaseService> services, List<List<String>> waves, WaveGate gate,
                             io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy approval) {
    public ReleaseRequest {
        services = services == null ? List.of() : List.copyOf(services);
        List<List<String>> w = new ArrayList<>();
        if (waves != null) {
            for (List<String> l : waves) {
                w.add(l == null ? List.of() : List.copyOf(l));
            }
        }
        waves = List.copyOf(w);
    }

    public ReleaseRequest(String name, List<ReleaseService> services, List<List<String>> waves, WaveGate gate) {
        this(name, services, waves, gate, null);
    }

    public ReleaseService service(String name) {
        for (ReleaseService s : services) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The wave (0-based) of a service, -1 if none. */
    public int waveOf(String service) {
        for (int i = 0; i < waves.size(); i++) {
            if (waves.get(i).contains(service)) {
                return i;
            }
        }
        return -1;
    }
}
