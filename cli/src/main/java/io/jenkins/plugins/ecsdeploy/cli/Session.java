package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** An engine connected as the flags say (AWS, --endpoint, or an embedded --sandbox), closed together. */
final class Session implements AutoCloseable {
    /** Region used by the sandbox and by --endpoint when none is given: the simulator does not care. */
    static final String SANDBOX_REGION = "us-east-1";

    final DeploymentEngine engine;
    final Sandbox sandbox;
    final String region;

    private Session(DeploymentEngine engine, Sandbox sandbox, String region) {
        this.engine = engine;
        this.sandbox = sandbox;
        this.region = region;
    }

    Clock clock() {
        return engine.scheduler().clock();
    }

    /**
     * Opens a session. {@code sandboxSeed} says what the embedded simulator holds (only with --sandbox).
     * The connection flags are checked first (exit 2, nothing contacted).
     */
    static Session open(Cli cli, ConnectionOptions c, String regionFromRequest, Sandbox.Seed sandboxSeed, double sandboxSpeed) {
        List<ValidationProblem> problems = new ArrayList<>();
        c.check(problems);
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
        if (c.sandbox) {
            Sandbox sb = Sandbox.start(sandboxSpeed, sandboxSeed);
            try {
                EngineConfig cfg = sb.engineConfig(regionFromRequest == null ? SANDBOX_REGION : regionFromRequest);
                return new Session(new DeploymentEngine(cfg), sb, cfg.region());
            } catch (RuntimeException e) {
                sb.close();
                throw e;
            }
        }
        String region = regionFromRequest != null ? regionFromRequest : c.regionOrEnv(cli.env);
        if (region == null && c.endpoint != null) {
            region = SANDBOX_REGION;
        }
        if (region == null) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--region", "",
                    "a region is required (flag, AWS_REGION or AWS_DEFAULT_REGION), e.g. us-east-1").message());
        }
        EngineConfig.Builder b = EngineConfig.builder().region(region).roleArn(c.roleArn).externalId(c.externalId);
        if (c.endpoint != null) {
            b.endpointOverride(URI.create(c.endpoint));
        }
        AwsCredentialsProvider credentials = credentials(cli, c);
        if (c.profile != null && !CredentialsCheck.profileExists(cli.env, c.profile)) {
            List<String> known = CredentialsCheck.profiles(cli.env);
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--profile", c.profile,
                    "a profile of ~/.aws/config or ~/.aws/credentials; "
                            + (known.isEmpty() ? "these files have none" : "they have " + String.join(", ", known))).message());
        }
        if (credentials == null) {
            // the default chain: say at once, in one line, when it has nothing to find (docs/cli.md "Credentials")
            CredentialsCheck.requireSome(cli.env, cli.instanceMetadata);
        }
        b.credentials(credentials);
        b.eventsQueueUrl(c.eventsQueueUrl); // null = polling alone (docs/events.md)
        // The engine polls between these bounds (EngineConfig pollFloor/pollCeiling; defaults 5 s / 60 s).
        java.time.Duration floor = c.pollSeconds == null ? null : java.time.Duration.ofMillis(Math.round(c.pollSeconds * 1000));
        java.time.Duration ceiling = c.pollMaxSeconds == null ? null : java.time.Duration.ofMillis(Math.round(c.pollMaxSeconds * 1000));
        if (floor != null) {
            b.pollFloor(floor);
        }
        if (ceiling != null) {
            b.pollCeiling(ceiling);
            if (floor == null && ceiling.compareTo(java.time.Duration.ofSeconds(5)) < 0) {
                b.pollFloor(ceiling);
            }
        } else if (floor != null && floor.compareTo(java.time.Duration.ofSeconds(60)) > 0) {
            b.pollCeiling(floor);
        }
        return new Session(new DeploymentEngine(b.build()), null, region);
    }

    /** The demo's session: an embedded simulator, whatever the flags. */
    static Session openSandbox(double speed, Sandbox.Seed seed) {
        Sandbox sb = Sandbox.start(speed, seed);
        try {
            EngineConfig cfg = sb.engineConfig(SANDBOX_REGION);
            return new Session(new DeploymentEngine(cfg), sb, cfg.region());
        } catch (RuntimeException e) {
            sb.close();
            throw e;
        }
    }

    /**
     * --profile → that profile; an --endpoint with no credentials configured anywhere → fixed test credentials
     * (local simulators and moto accept any signature); otherwise null = the SDK's default chain.
     */
    static AwsCredentialsProvider credentials(Cli cli, ConnectionOptions c) {
        if (c.profile != null) {
            return ProfileCredentialsProvider.create(c.profile);
        }
        if (c.endpoint != null && cli.env.get("AWS_ACCESS_KEY_ID") == null && cli.env.get("AWS_PROFILE") == null
                && cli.env.get("AWS_WEB_IDENTITY_TOKEN_FILE") == null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return null;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }
}
