package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a waiting step keeps across a controller restart: ids and the deployment's policy, never
 * an engine object (docs/jenkins-behaviour.md "Long waits that survive a restart"). It also converts to and from the handle the steps return to the
 * script: a plain {@code Map} of Strings, Lists and Booleans, so it is serializable with the Pipeline
 * program and readable in the Groovy sandbox ({@code d.deploymentArn}, {@code d.status}) without any
 * script-security approval. {@code ecsWait}, {@code ecsApprove}, {@code ecsAtGate} and
 * {@code ecsRollback} take that map back (or a bare deployment ARN).
 */
final class DeploymentRef implements Serializable {
    private static final long serialVersionUID = 1L;

    // ids
    String deploymentArn;
    String region;
    String accountId;
    String cluster;
    String service;
    String strategy;
    String taskDefinitionArn;
    List<String> gateStages = new ArrayList<>();
    String credentialsId;
    String roleArn;
    /** The progress record of this deployment in this build (null when it was started elsewhere). */
    String recordId;
    // policy
    String onAbort = "ROLLBACK";
    boolean approval;
    String submitter;
    /** The approval policy of the deploy step's own gate (docs/approvals.md "Approval policy"); 0 / null = defaults. */
    int approvalRequired;
    String approvalNotBy;
    String rollbackBy;
    String gateStage;
    int approvalTimeoutMinutes = DeployStepBase.DEFAULT_APPROVAL_TIMEOUT;
    String approvalTimeoutAction = "ROLLBACK";
    /** The canary analysis of the request, in the engine's JSON text form (docs/analysis.md); null = none. */
    String analysis;
    /** The switchover flag (docs/cutovers.md "2. Switchover flag"), as Strings; null parameter = none. */
    String switchoverParameter;
    String switchoverStage;
    String switchoverGreen;
    String switchoverBlue;
    Integer switchoverTimeoutMinutes;

    /** The switchover the follower applies on every (re-)follow; null = none. */
    io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover switchover() {
        return switchoverParameter == null ? null : new io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover(switchoverStage,
                switchoverParameter, switchoverGreen, switchoverBlue, switchoverTimeoutMinutes);
    }

    /** The analysis definition to wrap the gate handler with on every (re-)follow; null = none. */
    io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition analysisDefinition() {
        return analysis == null ? null
                : io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisJson.fromJson(analysis, "analysis");
    }

    /** Records the request's analysis (after toRequest). */
    void analysis(io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest r) {
        analysis = r.analysis() == null ? null : io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisJson.toJson(r.analysis());
    }

    static DeploymentRef of(DeployStepBase step, String effectiveRegion) {
        DeploymentRef r = new DeploymentRef();
        r.region = effectiveRegion;
        r.cluster = step.getCluster();
        r.service = step.getService();
        r.credentialsId = step.getCredentialsId();
        r.roleArn = step.getRoleArn();
        r.onAbort = step.getOnAbort();
        r.approval = step.approvalRequested();
        r.submitter = step.approvalSubmitter();
        r.approvalRequired = step.getApprovalRequired();
        r.approvalNotBy = step.getApprovalNotBy();
        r.rollbackBy = step.getRollbackBy();
        r.gateStage = step.placesGate() ? step.getApprovalStage() : null;
        r.approvalTimeoutMinutes = step.getApprovalTimeout();
        r.approvalTimeoutAction = step.getApprovalTimeoutAction();
        SwitchoverSpec sw = step.getSwitchover();
        if (sw != null) {
            io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover e = sw.toEngine();
            r.switchoverParameter = e.parameter();
            r.switchoverStage = e.stage();
            r.switchoverGreen = e.greenValue();
            r.switchoverBlue = e.blueValue();
            r.switchoverTimeoutMinutes = e.timeoutMinutes();
        }
        return r;
    }

    void setHandle(DeploymentHandle h) {
        deploymentArn = h.deploymentArn();
        if (h.region() != null) {
            region = h.region();
        }
        accountId = h.accountId();
        if (h.cluster() != null) {
            cluster = h.cluster();
        }
        if (h.service() != null) {
            service = h.service();
        }
        if (h.strategy() != null) {
            strategy = h.strategy();
        }
        if (h.taskDefinitionArn() != null) {
            taskDefinitionArn = h.taskDefinitionArn();
        }
        if (!h.gateStages().isEmpty()) {
            gateStages = new ArrayList<>(h.gateStages());
        }
    }

    DeploymentHandle handle() {
        return new DeploymentHandle(deploymentArn, region, accountId, cluster, service, taskDefinitionArn, strategy, gateStages);
    }

    String label() {
        return (cluster == null ? "default" : cluster) + "/" + service;
    }

    boolean rollbackOnAbort() {
        return !"LEAVE".equals(onAbort);
    }

    /** The handle returned to the script (docs/pipeline-steps.md "The returned deployment"). */
    Map<String, Object> toMap(DeploymentSnapshot s, String approvedBy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deploymentArn", deploymentArn);
        m.put("region", region);
        m.put("accountId", accountId);
        m.put("cluster", cluster);
        m.put("service", service);
        m.put("strategy", s != null && s.strategy() != null ? s.strategy() : strategy);
        m.put("status", s == null ? null : s.status());
        Outcome o = s == null ? null : s.outcome();
        m.put("finished", o != null);
        m.put("outcome", o == null ? null : o.kind().name());
        m.put("reason", o == null ? null : o.reason());
        m.put("rollbackCause", o == null || o.cause() == null ? null : o.cause().name());
        m.put("lastStage", s == null ? null : lastStage(s));
        m.put("sourceRevisionArns", s == null ? List.of() : new ArrayList<>(s.blue().revisionArns()));
        m.put("targetRevisionArn", s == null || s.green().revisionArns().isEmpty() ? null : s.green().revisionArns().get(0));
        m.put("taskDefinitionArn", taskDefinitionArn);
        m.put("approvedBy", approvedBy);
        // policy, so that ecsWait/ecsApprove/ecsAtGate act like the step that started the deployment
        m.put("credentialsId", credentialsId);
        m.put("roleArn", roleArn);
        m.put("onAbort", onAbort);
        m.put("approval", approval ? (submitter == null ? "true" : submitter) : null);
        m.put("gateStage", gateStage);
        m.put("approvalTimeout", approvalTimeoutMinutes);
        m.put("recordId", recordId);
        return m;
    }

    static String lastStage(DeploymentSnapshot s) {
        if (s.lifecycleStage() != null) {
            return s.lifecycleStage();
        }
        List<DeploymentSnapshot.Stage> st = s.stages();
        return st.isEmpty() ? null : st.get(st.size() - 1).name();
    }

    /**
     * Reads the {@code deployment:} argument of ecsWait/ecsApprove/ecsAtGate/ecsRollback: the map a
     * deploy step returned, or a service-deployment ARN.
     *
     * @param field the parameter name, for messages
     */
    static DeploymentRef from(Object deployment, String field, String credentialsId, String roleArn) throws AbortException {
        DeploymentRef r = new DeploymentRef();
        if (deployment instanceof Map<?, ?> m) {
            r.deploymentArn = str(m.get("deploymentArn"));
            r.region = str(m.get("region"));
            r.accountId = str(m.get("accountId"));
            r.cluster = str(m.get("cluster"));
            r.service = str(m.get("service"));
            r.strategy = str(m.get("strategy"));
            r.taskDefinitionArn = str(m.get("taskDefinitionArn"));
            r.credentialsId = str(m.get("credentialsId"));
            r.roleArn = str(m.get("roleArn"));
            r.recordId = str(m.get("recordId"));
            String onAbort = str(m.get("onAbort"));
            r.onAbort = onAbort == null ? "ROLLBACK" : onAbort;
            String approval = str(m.get("approval"));
            r.approval = approval != null;
            r.submitter = approval == null || approval.equals("true") ? null : approval;
            r.gateStage = str(m.get("gateStage"));
            if (r.gateStage != null) {
                r.gateStages = new ArrayList<>(List.of(r.gateStage));
            }
            Object t = m.get("approvalTimeout");
            if (t instanceof Number n) {
                r.approvalTimeoutMinutes = n.intValue();
            }
        } else if (deployment instanceof CharSequence cs && cs.toString().trim().startsWith("arn:")) {
            r.deploymentArn = cs.toString().trim();
        } else {
            throw new AbortException(Values.problem(field, deployment == null ? null : deployment.toString(),
                    "the value a deploy step returned (def d = ecsBlueGreen(...)) or a service-deployment ARN"));
        }
        if (r.deploymentArn == null) {
            throw new AbortException(Values.problem(field + ".deploymentArn", null,
                    "the deployment has no ARN: pass the value a deploy step returned"));
        }
        if (r.region == null || r.cluster == null || r.service == null) {
            try {
                DeploymentHandle h = DeploymentHandle.fromArn(r.deploymentArn);
                r.region = r.region == null ? h.region() : r.region;
                r.accountId = r.accountId == null ? h.accountId() : r.accountId;
                r.cluster = r.cluster == null ? h.cluster() : r.cluster;
                r.service = r.service == null ? h.service() : r.service;
            } catch (RuntimeException e) {
                throw new AbortException(e.getMessage());
            }
        }
        if (credentialsId != null) {
            r.credentialsId = credentialsId;
        }
        if (roleArn != null) {
            r.roleArn = roleArn;
        }
        return r;
    }

    private static String str(Object o) {
        return Values.trimToNull(o);
    }
}
