package io.jenkins.plugins.ecsdeploy.engine.analysis;

/** What an inconclusive analysis does at its gate (docs/analysis.md "Inconclusive"). */
public enum InconclusiveAction {
    /** offer the gate to the human gate handler, with the measurements in the snapshot; roll back when there is none */
    ASK,
    /** roll back, as for a failure */
    ROLLBACK
}
