package io.jenkins.plugins.ecsdeploy.plugin

/**
 * The Pipeline global variable ecsApprove (EcsApproveVariable loads this file through the script's class loader).
 * ecsApprove(deployment: d, message:, ok:, submitter:, submitterParameter:, timeout:, credentialsId:, roleArn:)
 * waits until ECS holds the deployment at its gate, then asks a Jenkins input: Proceed = CONTINUE, Abort = ROLLBACK.
 * The block step ecsApprovalGate provides the input's id, question, button and submitter list in ECS_INPUT_* variables,
 * records the decision (who, when, comment) and calls ECS. docs/approvals.md.
 */
class EcsApprove implements Serializable {
    private static final long serialVersionUID = 1L
    private final def script

    EcsApprove(def script) {
        this.script = script
    }

    /** ecsApprove(deployment: d, …): the gate is a Jenkins input. */
    def call(Map args) {
        return script.ecsApprovalGate(args) {
            script.input(id: script.env.ECS_INPUT_ID, message: script.env.ECS_INPUT_MESSAGE, ok: script.env.ECS_INPUT_OK,
                         submitter: script.env.ECS_INPUT_SUBMITTER, submitterParameter: 'ECS_APPROVER')
        }
    }

    /** ecsApprove('arn:aws:ecs:…:service-deployment/…'): a bare service-deployment ARN. */
    def call(String deployment) {
        return call([deployment: deployment])
    }

    /**
     * ecsApprove(deployment: d) { … }: a block of your own decides instead of the one input (e.g. several inputs until
     * a policy is met); it returns the approver's user id, and its failure rolls the gate back.
     */
    def call(Map args, Closure body) {
        return script.ecsApprovalGate(args, body)
    }
}
