package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Option;

/** Where and as whom the CLI talks to ECS. Shared by deploy, plan --check-service, status, approve, rollback. */
public final class ConnectionOptions {
    @Option(order = 100, names = "--region", paramLabel = "REGION",
            description = "AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / the profile's region; status, approve "
                    + "and rollback take it from the ARN).")
    String region;

    @Option(order = 101, names = "--profile", paramLabel = "NAME", description = "Credentials from this profile of ~/.aws/credentials and ~/.aws/config.")
    String profile;

    @Option(order = 102, names = "--role-arn", paramLabel = "ARN", description = "Assume this IAM role (through STS) for every ECS call.")
    String roleArn;

    @Option(order = 103, names = "--external-id", paramLabel = "ID", description = "External id for --role-arn.")
    String externalId;

    @Option(order = 104, names = "--endpoint", paramLabel = "URL",
            description = "Talk to this ECS-compatible endpoint instead of AWS (e.g. a running simulator, moto).")
    String endpoint;

    @Option(order = 105, names = "--poll-seconds", paramLabel = "SECONDS",
            description = "Shortest interval between two DescribeServiceDeployments polls, 0.1-60 (default: 5; the engine "
                    + "backs off up to 60 s while nothing changes). Lower values are for local endpoints.")
    Double pollSeconds;

    @Option(order = 106, names = "--poll-max-seconds", paramLabel = "SECONDS",
            description = "Longest interval between two polls, 0.1-3600 and at least --poll-seconds (default: 60).")
    Double pollMaxSeconds;

    @Option(order = 107, names = "--sandbox", description = "Run against an embedded ECS simulator with a sample cluster and service (no AWS account).")
    boolean sandbox;

    @Option(order = 108, names = "--events-queue-url", paramLabel = "URL",
            description = "Also read this SQS queue, fed by an EventBridge rule with ECS deployment and hook events: a gate is "
                    + "seen within seconds and polling slows down to a safety net (docs/events.md).")
    String eventsQueueUrl;

    /** Adds problems for the connection flags (no AWS call). */
    void check(List<ValidationProblem> problems) {
        if (endpoint != null) {
            try {
                URI u = URI.create(endpoint);
                if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ValidationProblem("--endpoint", endpoint, "an http:// or https:// URL, e.g. http://127.0.0.1:4566"));
            }
        }
        if (eventsQueueUrl != null) {
            List<ValidationProblem> q = new java.util.ArrayList<>();
            io.jenkins.plugins.ecsdeploy.engine.internal.EventQueue.checkUrl(eventsQueueUrl, q);
            q.forEach(p -> problems.add(new ValidationProblem("--events-queue-url", p.value(), p.allowed())));
        }
        if (sandbox && endpoint != null) {
            problems.add(new ValidationProblem("--sandbox", "--endpoint " + endpoint, "use either --sandbox or --endpoint"));
        }
        if (sandbox && profile != null) {
            problems.add(new ValidationProblem("--profile", profile, "not with --sandbox (the sandbox needs no credentials)"));
        }
        if (pollSeconds != null && !(pollSeconds >= 0.1 && pollSeconds <= 60)) {
            problems.add(new ValidationProblem("--poll-seconds", String.valueOf(pollSeconds), "0.1 to 60 seconds"));
        }
        if (pollMaxSeconds != null && !(pollMaxSeconds >= 0.1 && pollMaxSeconds <= 3600
                && pollMaxSeconds >= (pollSeconds == null ? Math.min(5, pollMaxSeconds) : pollSeconds))) {
            problems.add(new ValidationProblem("--poll-max-seconds", String.valueOf(pollMaxSeconds),
                    "0.1 to 3600 seconds, at least --poll-seconds"));
        }
        if (externalId != null && roleArn == null) {
            problems.add(new ValidationProblem("--external-id", externalId, "only together with --role-arn"));
        } else if (externalId != null && (externalId.length() < 2 || externalId.length() > 1224
                || !externalId.matches("[\\w+=,.@:/-]+"))) {
            // STS AssumeRole ExternalId: 2-1224 characters of [\w+=,.@:/-]
            // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
            problems.add(new ValidationProblem("--external-id", externalId, "2-1224 letters, digits and + = , . @ : / - _"));
        }
        if (roleArn != null) {
            io.jenkins.plugins.ecsdeploy.engine.validation.Arns.Arn a = io.jenkins.plugins.ecsdeploy.engine.validation.Arns.parse(roleArn);
            if (a == null || !a.service().equals("iam") || !a.resource().startsWith("role/") || !a.region().isEmpty()
                    || !a.account().matches("\\d{12}")) {
                problems.add(new ValidationProblem("--role-arn", roleArn, "an IAM role ARN, arn:aws:iam::<account>:role/<name>"
                        + (a != null && !a.service().equals("iam") ? " (this is an ARN of " + a.service() + ")" : "")));
            }
        }
        if (region != null && (region.isBlank() || !region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}"))) {
            // an explicitly empty --region is refused, never silently replaced by AWS_REGION or the profile (issue 10)
            problems.add(new ValidationProblem("--region", region, "an AWS region code such as us-east-1 (leave the flag "
                    + "out to use AWS_REGION, AWS_DEFAULT_REGION or the profile's region)"));
        }
        if (profile != null && (profile.isBlank() || io.jenkins.plugins.ecsdeploy.engine.SafeText.hasUnsafeCharacters(profile))) {
            problems.add(new ValidationProblem("--profile", profile, "a profile name of ~/.aws/config (leave the flag out for the default chain)"));
        }
    }

    /**
     * The region to use: the flag, else AWS_REGION / AWS_DEFAULT_REGION, else the region of the profile (--profile,
     * AWS_PROFILE or "default") in ~/.aws/config; null when none is found. The instance-metadata lookup of the SDK's
     * region chain is left out on purpose: off EC2 it only adds seconds before the same "region is required".
     */
    String regionOrEnv(java.util.Map<String, String> env) {
        if (region != null) {
            return region; // checked by check(): an explicit value, even a bad one, is never replaced by the environment
        }
        String r = env.get("AWS_REGION");
        if (r == null || r.isBlank()) {
            r = env.get("AWS_DEFAULT_REGION");
        }
        if (r == null || r.isBlank()) {
            r = profileRegion(profile != null ? profile : env.getOrDefault("AWS_PROFILE", "default"));
        }
        return r == null || r.isBlank() ? null : r.trim();
    }

    private static String profileRegion(String name) {
        try {
            return software.amazon.awssdk.profiles.ProfileFile.defaultProfileFile().profile(name)
                    .flatMap(p -> p.property("region")).orElse(null);
        } catch (RuntimeException e) {
            return null; // an unreadable profile file: the missing region is reported instead
        }
    }
}
