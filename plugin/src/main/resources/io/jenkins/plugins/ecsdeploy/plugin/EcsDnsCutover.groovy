package io.jenkins.plugins.ecsdeploy.plugin

/**
 * The Pipeline global variable ecsDnsCutover (EcsDnsCutoverVariable loads this file through the script's class loader).
 * ecsDnsCutover(hostedZoneId:, record:, blue:, green:, steps:, approval:, …) runs the block step ecsDnsCutoverRun; at
 * each gate between steps the block is a Jenkins input (Proceed = CONTINUE, Abort = ROLLBACK, the weights back to blue),
 * its id, question, button and approvers given in ECS_INPUT_* variables. docs/cutovers.md, docs/pipeline-steps.md.
 */
class EcsDnsCutover implements Serializable {
    private static final long serialVersionUID = 1L
    private final def script

    EcsDnsCutover(def script) {
        this.script = script
    }

    /** ecsDnsCutover(hostedZoneId: 'Z…', record: 'api.example.com', blue: …, green: …): gates are inputs. */
    def call(Map args) {
        return script.ecsDnsCutoverRun(args) {
            script.input(id: script.env.ECS_INPUT_ID, message: script.env.ECS_INPUT_MESSAGE, ok: script.env.ECS_INPUT_OK,
                         submitter: script.env.ECS_INPUT_SUBMITTER, submitterParameter: 'ECS_APPROVER')
        }
    }

    /** ecsDnsCutover(…) { … }: a block of your own decides at each gate; it returns the approver, its failure rolls back. */
    def call(Map args, Closure body) {
        return script.ecsDnsCutoverRun(args, body)
    }
}
