package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The simulator's state objects. All access happens under the {@link Controller}'s lock. */
final class Model {
    private Model() {
    }

    static final class Cluster {
        String name;
        String arn;
        String status = "ACTIVE";
        ArrayNode tags;
        ArrayNode settings;
        final Map<String, Service> services = new LinkedHashMap<>();
    }

    static final class TaskDef {
        String family;
        int revision;
        String arn;
        ObjectNode json; // the TaskDefinition structure as returned
        ArrayNode tags;
        Instant registeredAt;

        List<String> images() {
            List<String> out = new ArrayList<>();
            JsonNode cds = json.get("containerDefinitions");
            if (cds != null) {
                cds.forEach(c -> out.add(c.path("image").asText("")));
            }
            return out;
        }
    }

    static final class Service {
        String name;
        String arn;
        Cluster cluster;
        String status = "ACTIVE";
        int desiredCount;
        String taskDefinitionArn;
        String controllerType = "ECS";
        ObjectNode deploymentConfiguration; // stored, as given (plus defaults)
        ArrayNode loadBalancers = Json.arr();
        ObjectNode spec = Json.obj(); // other CreateService members echoed back (networkConfiguration, launchType, ...)
        Instant createdAt;
        final List<Revision> revisions = new ArrayList<>();
        final List<Deployment> deployments = new ArrayList<>();
        final List<ObjectNode> events = new ArrayList<>();
        Revision primary; // the revision that is PRIMARY in the legacy deployments[] view
        Revision lastCompleted; // target of the last SUCCESSFUL deployment, or the revision rolled back to
        String liveTargetGroup; // target group currently carrying production traffic (blue/green alternate)
        String resourceManagementType; // "ECS" for an Express Mode service (ECS manages it); null = customer-managed

        boolean loadBalanced() {
            return loadBalancers.size() > 0;
        }

        boolean nlb() {
            for (JsonNode lb : loadBalancers) {
                String rule = lb.path("advancedConfiguration").path("productionListenerRule").asText("");
                if (rule.contains(":listener/net/")) {
                    return true;
                }
            }
            return false;
        }

        Deployment ongoing() {
            for (int i = deployments.size() - 1; i >= 0; i--) {
                Deployment d = deployments.get(i);
                if (!d.terminal()) {
                    return d;
                }
            }
            return null;
        }
    }

    static final class Revision {
        String arn;
        String legacyId;
        Service service;
        TaskDef taskDef;
        ArrayNode loadBalancers;
        ObjectNode networkConfiguration;
        String targetGroup; // resolvedConfiguration: the target group this revision serves from
        String productionListenerRule;
        Instant createdAt;
        Instant updatedAt;
        int requested;
        int running;
        int pending;
        int failedTasks;
        int draining; // stopped tasks still draining: reported as running until drainTime passes
        int generation; // bumped when pending launches are cancelled
        Double productionWeight;
        Double testWeight;

        boolean active() {
            return requested > 0 || running > 0 || pending > 0;
        }
    }

    static final class HookExec {
        String hookId;
        String executionId;
        String stage;
        String targetType; // AWS_LAMBDA | PAUSE
        String targetArn;
        String status;
        Instant expiresAt;
        String timeoutAction;
        String roleArn; // Lambda: the role ECS assumes to invoke the function
        JsonNode hookDetails; // for Lambda: configured + merged state
        int invocations;
        boolean rollbackPhase;

        boolean done() {
            return "SUCCEEDED".equals(status) || ("TIMED_OUT".equals(status) && "CONTINUE".equals(timeoutAction));
        }

        boolean terminal() {
            return "SUCCEEDED".equals(status) || "FAILED".equals(status) || "TIMED_OUT".equals(status);
        }
    }

    enum StepKind { HOOK, SCALE_UP, TEST_SHIFT, PROD_SHIFT, BAKE, CLEAN_UP, RB_PROD_SHIFT, RB_TEST_SHIFT, RB_CLEAN_UP,
        /** ROLLING: new tasks replace old ones within minimumHealthyPercent / maximumPercent */
        ROLLING_REPLACE }

    record Step(String stage, StepKind kind, double weight, int bakeMinutes) {
    }

    static final class Deployment {
        String arn;
        Service service;
        String strategy;
        Instant createdAt;
        Instant startedAt;
        Instant finishedAt;
        Instant stoppedAt;
        Instant updatedAt;
        List<Revision> sources = new ArrayList<>();
        Revision target;
        Revision rollbackTo; // the last completed revision, null when none
        String status = "PENDING";
        String statusReason;
        String lifecycleStage;
        ObjectNode configuration; // effective snapshot
        List<HookExec> hooks = new ArrayList<>(); // hooks of the current stage
        final Map<String, HookExec> allHooks = new LinkedHashMap<>();
        // rollback
        String rollbackReason;
        Instant rollbackStartedAt;
        String rollbackRevisionArn;
        boolean rollingBack;
        boolean stopping; // STOP_REQUESTED: nothing moves any more, STOPPED follows
        boolean lateRollbackRequest; // StopServiceDeployment(ROLLBACK) arrived when there was nothing left to undo
        Scenario.InfrastructureFault fault = Scenario.InfrastructureFault.NONE;
        boolean replaceDone; // ROLLING: the replacement reached its completion criteria
        // monitors
        String alarmsStatus = "DISABLED";
        List<String> alarmNames = new ArrayList<>();
        final List<String> triggeredAlarms = new ArrayList<>();
        boolean alarmsRollback;
        String cbStatus = "DISABLED";
        int cbFailures;
        int cbThreshold;
        boolean cbRollback;
        boolean cbReset = true;
        // stage machine
        List<Step> plan = new ArrayList<>();
        int stepIndex = -1;
        int stageToken;
        boolean baseDone;
        boolean baking;
        boolean workDone;
        boolean prodShifted;
        boolean testShifted;
        boolean firstDeployment;
        // introspection
        final List<StageVisit> history = new ArrayList<>();
        final List<StatusChange> statusHistory = new ArrayList<>();
        // frozen summaries once finished
        ArrayNode frozenSources;
        ObjectNode frozenTarget;

        boolean terminal() {
            return switch (status) {
                case "SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED" -> true;
                default -> false;
            };
        }

        /** Finished, or on its way to STOPPED: its stage machine and hooks no longer move. */
        boolean halted() {
            return stopping || terminal();
        }

        boolean advanced() {
            return !"ROLLING".equals(strategy);
        }

        Step step() {
            return stepIndex >= 0 && stepIndex < plan.size() ? plan.get(stepIndex) : null;
        }
    }
}
