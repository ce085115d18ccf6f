package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.HistoryEntry;
import io.jenkins.plugins.ecsdeploy.engine.RecordedDecision;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ecs-deploy history --service S}: the service's recent deployments, newest first, with outcome, revision
 * (family:revision and images) and who decided (the decisions the engine keeps on the service). Reads only.
 */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "ecs-deploy history --service NAME [--cluster NAME] [--limit N] [connection flags] [--json]",
        description = "List a service's recent deployments: when, outcome, revision and images, who decided its gates. "
                + "Redeploy one with 'ecs-deploy redeploy --revision ARN'.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(order = 1, names = "--service", paramLabel = "NAME", description = "REQUIRED. The ECS service.")
    String service;

    @Option(order = 2, names = "--cluster", paramLabel = "NAME|ARN", description = "Cluster name or ARN (default: the account's 'default' cluster).")
    String cluster;

    @Option(order = 3, names = "--limit", paramLabel = "N", defaultValue = "10",
            description = "How many deployments, 1-100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(order = 4, names = "--json", description = "One JSON document: {schemaVersion, service, cluster, deployments: [...]}.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        List<ValidationProblem> problems = new ArrayList<>();
        if (service == null || service.isBlank()) {
            problems.add(new ValidationProblem("--service", service, "a service name is required"));
        }
        if (limit < 1 || limit > 100) {
            problems.add(new ValidationProblem("--limit", String.valueOf(limit), "1 to 100 deployments"));
        }
        if (connection.sandbox) {
            problems.add(new ValidationProblem("--sandbox", null, "only with deploy, plan --check-service and demo: an "
                    + "embedded sandbox has no history; run the simulator jar and use --endpoint"));
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
        String c = cluster == null ? "default" : cluster;
        try (Session session = Session.open(cli, connection, null, null, 1)) {
            List<HistoryEntry> entries = session.engine.history(c, service, limit).get();
            if (json) {
                ObjectNode n = Progress.JSON.createObjectNode();
                n.put("schemaVersion", 1);
                n.put("service", service);
                n.put("cluster", c);
                ArrayNode a = n.putArray("deployments");
                for (HistoryEntry e : entries) {
                    ObjectNode o = a.addObject();
                    o.put("deploymentArn", e.deploymentArn());
                    o.put("status", e.status());
                    o.put("outcome", e.outcomeWords());
                    o.put("statusReason", e.statusReason());
                    o.put("createdAt", SnapshotJson.iso(e.createdAt()));
                    o.put("finishedAt", SnapshotJson.iso(e.finishedAt()));
                    o.put("strategy", e.strategy());
                    o.put("revisionArn", e.revisionArn());
                    o.put("taskDefinition", e.taskDefinition());
                    o.put("revisionName", e.revisionName());
                    ObjectNode im = o.putObject("images");
                    e.images().forEach(im::put);
                    o.put("rolledBackTo", e.rolledBackTo());
                    ArrayNode d = o.putArray("decisions");
                    for (RecordedDecision r : e.decisions()) {
                        ObjectNode x = d.addObject();
                        x.put("hookId", r.hookId());
                        x.put("action", r.action());
                        x.put("by", r.by());
                        x.put("at", SnapshotJson.iso(r.at()));
                        x.put("comment", r.comment());
                    }
                }
                cli.out.println(n.toString());
            } else {
                print(cli, c, entries);
            }
            cli.out.flush();
            return ExitCodes.OK;
        }
    }

    private void print(Cli cli, String c, List<HistoryEntry> entries) {
        int w = Math.max(60, cli.width) - 1;
        cli.out.println(Progress.cut("Deployments of " + service + " in " + c + ", newest first:", w));
        if (entries.isEmpty()) {
            cli.out.println("  none found (ECS lists service deployments created since 2024-10-25)");
            return;
        }
        for (HistoryEntry e : entries) {
            String images = e.images().isEmpty() ? "" : " (" + String.join(", ", e.images().values().stream()
                    .map(RevisionNames::shortImage).toList()) + ")";
            cli.out.println(Progress.cut("  " + (e.createdAt() == null ? "?" : WHEN.format(e.createdAt()) + " UTC") + "  "
                    + pad(e.outcomeWords(), 15) + pad(e.revisionName() + images, 32) + " " + (e.strategy() == null ? "" : e.strategy()), w));
            String who = e.decidedBy();
            if (!who.isEmpty()) {
                String why = e.decisions().stream().map(RecordedDecision::comment).filter(x -> x != null && !x.isBlank())
                        .map(x -> "\"" + SafeText.line(x, 200) + "\"").reduce((a, b) -> a + ", " + b).orElse("");
                cli.out.println(Progress.cut("      " + who + (why.isEmpty() ? "" : ": " + why), w));
            }
            if (e.statusReason() != null && !"SUCCESSFUL".equals(e.status())) {
                cli.out.println(Progress.cut("      " + e.statusReason(), w));
            }
            // the ARNs in full (never cut): what status and redeploy take
            cli.out.println("      deployment " + e.deploymentArn());
            if (e.revisionArn() != null) {
                cli.out.println("      revision   " + e.revisionArn());
            }
        }
        cli.out.println("Deploy one of these revisions again: ecs-deploy redeploy --revision <revision ARN> [--strategy ...]");
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
    }
}
