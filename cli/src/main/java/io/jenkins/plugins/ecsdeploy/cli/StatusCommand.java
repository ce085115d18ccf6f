package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.RecordedDecision;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ecs-deploy status ARN [--watch]}: one look at a deployment, or follow it to the end. Never writes. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show a deployment's stage, traffic, tasks, hooks, gates and outcome; --watch follows it to the end.")
final class StatusCommand extends ArnCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @Option(order = 60, names = "--watch", description = "Follow the deployment until it ends; exit with the outcome's code.")
    boolean watch;

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        try (Session session = open()) {
            DeploymentHandle h = session.engine.attach(arn).get();
            if (watch) {
                Progress progress = Progress.create(output.mode(cli), cli.out, session.clock(), cli);
                Follow.Result res = new Follow(progress, RequestOptions.COMPLETED, List.of()).run(session, h, null);
                return DeployCommand.finish(cli, progress, output, res, h);
            }
            DeploymentSnapshot s = session.engine.describe(h).get();
            // Who decided, when and why — kept on the service by whichever process decided (docs/engine.md
            // "Decisions on the service"); one ListTagsForResource. Unreadable: said, never fatal.
            List<RecordedDecision> recorded;
            String unreadable = null;
            try {
                recorded = session.engine.recordedDecisions(h).get();
            } catch (java.util.concurrent.ExecutionException e) {
                recorded = List.of();
                unreadable = SafeText.line(Main.unwrap(e).getMessage(), 200);
            }
            if (output.json) {
                com.fasterxml.jackson.databind.node.ObjectNode n = s.toJsonNode();
                var a = n.putArray("recordedDecisions"); // host member: readers ignore members they do not know
                for (RecordedDecision d : recorded) {
                    var o = a.addObject();
                    o.put("hookId", d.hookId());
                    o.put("action", d.action());
                    o.put("by", d.by());
                    o.put("at", d.at() == null ? null : d.at().toString());
                    o.put("comment", d.comment());
                    o.put("shortened", d.truncated());
                }
                cli.out.println(n.toString());
            } else {
                for (String l : Progress.render(s, session.clock().instant(), cli.width, null, List.of())) {
                    cli.out.println(l.replaceAll("\u001b\\[[0-9;]*m", ""));
                }
                cli.out.println(SafeText.line(s.outcome() == null ? "outcome: still running" : "outcome: " + s.outcome().describe()));
                for (RecordedDecision d : recorded) {
                    cli.out.println("decided: " + (d.hookId() == null ? "rollback of the deployment" : "gate (hook "
                            + SafeText.line(d.hookId(), 100) + ")") + " " + d.describe());
                }
                if (unreadable != null) {
                    cli.out.println("decisions on the service could not be read: " + unreadable);
                }
                for (String[] g : awaiting(s)) {
                    cli.out.println(SafeText.line("gate waiting at " + g[1] + " (hook " + g[0] + "): ecs-deploy approve " + arn
                            + "   or   ecs-deploy rollback " + arn));
                }
            }
            cli.out.flush();
            return ExitCodes.OK;
        }
    }
}
