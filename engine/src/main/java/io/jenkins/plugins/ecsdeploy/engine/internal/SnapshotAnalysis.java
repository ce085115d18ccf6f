package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Automated canary analysis at the gates (docs/analysis.md): {@code AnalysisStarted}, {@code AnalysisMeasured},
 * {@code AnalysisConcluded}. JSON member: analyses. These events come from the engine's own measuring, not from ECS, so
 * this part has no {@code diff}: the analysis emits them through the watcher as it measures. At most
 * {@link #MAX_RUNS} gates are kept (a linear deployment of 3 % steps has 33), the oldest dropped first.
 */
public record SnapshotAnalysis(List<AnalysisRun> analyses) implements SnapshotPart<SnapshotAnalysis> {
    public static final int MAX_RUNS = 40;
    public static final SnapshotAnalysis EMPTY = new SnapshotAnalysis(List.of());

    public SnapshotAnalysis {
        analyses = analyses == null ? List.of() : List.copyOf(analyses);
    }

    @Override
    public SnapshotAnalysis fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.AnalysisStarted s) {
            List<AnalysisRun> runs = new ArrayList<>(analyses);
            runs.removeIf(r -> r.hookId().equals(s.hookId())); // measuring anew (re-attached after a restart)
            runs.add(new AnalysisRun(s.stage(), s.hookId(), s.name(), s.measurements(), s.intervalSeconds(), s.dryRun(),
                    s.at(), List.of(), null, null, null, null));
            while (runs.size() > MAX_RUNS) {
                runs.remove(0);
            }
            return new SnapshotAnalysis(runs);
        }
        if (e instanceof DeploymentEvent.AnalysisMeasured m) {
            return update(m.hookId(), r -> {
                List<AnalysisRun.Measurement> ms = new ArrayList<>(r.measurements());
                ms.add(new AnalysisRun.Measurement(m.index(), m.at(), m.windowStart(), m.windowEnd(), m.verdict(),
                        m.values()));
                return new AnalysisRun(r.stage(), r.hookId(), r.name(), r.measurementsPlanned(), r.intervalSeconds(),
                        r.dryRun(), r.startedAt(), ms, r.verdict(), r.action(), r.reason(), r.concludedAt());
            });
        }
        if (e instanceof DeploymentEvent.AnalysisConcluded c) {
            return update(c.hookId(), r -> new AnalysisRun(r.stage(), r.hookId(), r.name(), r.measurementsPlanned(),
                    r.intervalSeconds(), c.dryRun(), r.startedAt(), r.measurements(), c.verdict(), c.action(),
                    c.reason(), c.at()));
        }
        return this;
    }

    private SnapshotAnalysis update(String hookId, java.util.function.UnaryOperator<AnalysisRun> f) {
        List<AnalysisRun> runs = new ArrayList<>(analyses);
        boolean found = false;
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).hookId().equals(hookId)) {
                runs.set(i, f.apply(runs.get(i)));
                found = true;
            }
        }
        return found ? new SnapshotAnalysis(runs) : this;
    }
}
