package io.jenkins.plugins.ecsdeploy.engine.validation;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.LambdaHook;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules across fields, checked offline with the other request rules (docs/engine.md "1. Validation (offline)", "ARNs"): every ARN is an ARN
 * of the right service and resource type, in the deployment's region, in one account, and a service ARN names the
 * cluster the request names. An ARN of another region or account would make ECS act on a resource the user did not
 * mean, or refuse half-way; a role ARN of another service (e.g. a Lambda function ARN given as a role) is a mix-up.
 * The IAM roles a task definition file names must be in the deployment's account unless that account is listed in
 * {@link DeploymentRequest#allowedRoleAccounts()} — a role of a foreign account gives that account's principals a way
 * into the tasks, or the tasks a way into it (docs/security.md "Roles of other accounts").
 */
public final class RequestConsistency {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private RequestConsistency() {}

    /** Adds every cross-field problem of {@code r} to {@code p}. */
    public static void check(DeploymentRequest r, List<ValidationProblem> p) {
        String region = r.region() != null && REGION.matcher(r.region()).matches() ? r.region() : null;
        Map<String, String> accounts = new LinkedHashMap<>(); // field → account, in the order of the request
        String clusterName = r.cluster();
        Arns.Arn cluster = Arns.parse(r.cluster());
        if (cluster != null) {
            if (!cluster.service().equals("ecs") || !cluster.resource().startsWith("cluster/")) {
                p.add(new ValidationProblem("cluster", r.cluster(), "a cluster name or an ECS cluster ARN, "
                        + "arn:aws:ecs:<region>:<account>:cluster/<name> (this is an ARN of " + kind(cluster) + ")"));
            } else {
                clusterName = cluster.resource().substring("cluster/".length());
                inRegion("cluster", r.cluster(), cluster, region, p);
                accounts.put("cluster", cluster.account());
            }
        }
        Arns.Arn service = Arns.parse(r.service());
        if (service != null) {
            if (!service.service().equals("ecs") || !service.resource().startsWith("service/")) {
                p.add(new ValidationProblem("service", r.service(), "a service name or an ECS service ARN, "
                        + "arn:aws:ecs:<region>:<account>:service/<cluster>/<name> (this is an ARN of " + kind(service) + ")"));
            } else {
                inRegion("service", r.service(), service, region, p);
                sameAccount("service", r.service(), service.account(), accounts, p);
                String[] parts = service.resource().split("/");
                String named = clusterName == null ? "default" : clusterName;
                if (parts.length == 3 && !parts[1].equals(named)) {
                    p.add(new ValidationProblem("service", r.service(), "a service of the cluster the request names ("
                            + named + (r.cluster() == null ? ", the default one" : "") + "); this ARN names cluster " + parts[1]));
                }
            }
        }
        if (r.revision() instanceof RevisionSource.TaskDefinition td) {
            Arns.Arn a = Arns.parse(td.arnOrFamilyRevision());
            if (a != null) {
                if (!a.service().equals("ecs") || !a.resource().startsWith("task-definition/")) {
                    p.add(new ValidationProblem("taskDefinition", td.arnOrFamilyRevision(),
                            "a task definition ARN or family:revision (this is an ARN of " + kind(a) + ")"));
                } else {
                    inRegion("taskDefinition", td.arnOrFamilyRevision(), a, region, p);
                    sameAccount("taskDefinition", td.arnOrFamilyRevision(), a.account(), accounts, p);
                }
            }
        }
        for (int i = 0; i < r.hooks().size(); i++) {
            LambdaHook h = r.hooks().get(i);
            Arns.Arn f = Arns.parse(h.functionArn());
            if (f != null && !f.service().equals("lambda")) {
                p.add(new ValidationProblem("hooks[" + i + "].functionArn", h.functionArn(),
                        "a Lambda function ARN (this is an ARN of " + kind(f) + ")"));
            }
            Arns.Arn role = Arns.parse(h.roleArn());
            if (role != null && !role.service().equals("iam")) {
                p.add(new ValidationProblem("hooks[" + i + "].roleArn", h.roleArn(),
                        "an IAM role ARN, arn:aws:iam::<account>:role/<name> (this is an ARN of " + kind(role) + ")"));
            }
        }
        for (int i = 0; i < r.allowedRoleAccounts().size(); i++) {
            String acct = r.allowedRoleAccounts().get(i);
            if (acct == null || !Arns.ACCOUNT.matcher(acct).matches()) {
                p.add(new ValidationProblem("allowedRoleAccounts[" + i + "]", acct, "a 12-digit AWS account id"));
            }
        }
        String account = accounts.isEmpty() ? null : accounts.values().iterator().next();
        roleAccounts(r, account, p);
    }

    /**
     * The roles of a task definition file against the deployment's account ({@code account}; null when not known yet:
     * then the roles must at least agree with each other). Also called at start, once ECS has told the service's
     * account, before anything is registered.
     */
    public static void roleAccounts(DeploymentRequest r, String account, List<ValidationProblem> p) {
        if (!(r.revision() instanceof RevisionSource.TaskDefinitionJson tj)) {
            return;
        }
        String field = "taskDefinitionJson" + (tj.origin() == null ? "" : "(" + tj.origin() + ")");
        String first = account;
        List<String> allowed = new ArrayList<>(r.allowedRoleAccounts());
        for (String[] role : TaskDefinitionFile.roleArns(tj.json())) {
            String acct = Arns.account(role[1]);
            if (acct == null || allowed.contains(acct)) {
                continue;
            }
            if (first == null) {
                first = acct;
            } else if (!first.equals(acct)) {
                p.add(new ValidationProblem(field + "." + role[0], role[1], "a role of account " + first
                        + (account == null ? " (the account of the file's other role)" : " (the deployment's account)")
                        + "; a role of account " + acct + " needs that account allowed explicitly (--allow-role-account "
                        + acct + ", step parameter allowedRoleAccounts)"));
            }
        }
    }

    private static void inRegion(String field, String value, Arns.Arn a, String region, List<ValidationProblem> p) {
        if (region != null && !a.region().equals(region)) {
            p.add(new ValidationProblem(field, value, "an ARN in the deployment's region " + region
                    + " (this one is in " + (a.region().isEmpty() ? "no region" : a.region()) + ")"));
        }
    }

    private static void sameAccount(String field, String value, String account, Map<String, String> accounts,
                                    List<ValidationProblem> p) {
        for (Map.Entry<String, String> e : accounts.entrySet()) {
            if (!e.getValue().equals(account)) {
                p.add(new ValidationProblem(field, value, "an ARN in the account of " + e.getKey() + " (" + e.getValue()
                        + "); this one is in " + account));
                return;
            }
        }
        accounts.put(field, account);
    }

    private static String kind(Arns.Arn a) {
        String type = a.resource().split("[/:]")[0];
        return a.service() + (type.isEmpty() ? "" : " (" + type + ")");
    }
}
