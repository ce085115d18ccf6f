package io.jenkins.plugins.ecsdeploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Before the first AWS call, when the CLI would use the SDK's default credentials chain: is there any source at all?
 * Without one, the SDK's answer is a 1,300-character dump of every provider's refusal, after the instance-metadata
 * lookup has timed out (seconds off EC2). Instead this says in one line which sources were tried and what to do, and
 * gives the instance-metadata lookup a short budget of its own ({@link #IMDS_BUDGET}).
 *
 * <p>The sources and their order are the SDK's default chain
 * (https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/credentials-chain.html): environment variables,
 * Java system properties, web identity token file, the shared config and credentials files (profile
 * {@code AWS_PROFILE} or {@code default}), container credentials, EC2 instance metadata. Only their presence is
 * checked here (no secret is read or printed); the engine's chain does the real work.
 */
final class CredentialsCheck {
    /** How long the instance-metadata lookup may take when it is the only source left (docs/cli.md "Credentials"). */
    static final Duration IMDS_BUDGET = Duration.ofSeconds(2);

    private CredentialsCheck() {}

    /** Throws exit 5 with one line when no source of credentials exists; returns quietly otherwise. */
    static void requireSome(Map<String, String> env, BooleanSupplier instanceMetadataAnswers) {
        if (has(env, "AWS_ACCESS_KEY_ID") || System.getProperty("aws.accessKeyId") != null
                || has(env, "AWS_WEB_IDENTITY_TOKEN_FILE") || has(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                || has(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            return;
        }
        String profile = has(env, "AWS_PROFILE") ? env.get("AWS_PROFILE") : "default";
        if (profileExists(env, profile)) {
            return;
        }
        if (!"true".equalsIgnoreCase(env.get("AWS_EC2_METADATA_DISABLED")) && instanceMetadataAnswers.getAsBoolean()) {
            return;
        }
        throw new CliException(ExitCodes.AWS_ERROR, message(profile));
    }

    /**
     * "No AWS credentials found (tried: …). Do one of: …" — one line, the sources in the chain's order, then what to
     * do. Also used when the SDK's chain fails later (Main), so the dump never reaches the user.
     */
    static String message(String profile) {
        return "No AWS credentials found (tried: environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, Java "
                + "system properties, web identity token file, profile '" + profile + "' in ~/.aws/config and "
                + "~/.aws/credentials, container credentials, EC2 instance metadata). Use --profile NAME (or export "
                + "AWS_PROFILE), export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run 'aws configure' / "
                + "'aws sso login'; for a local endpoint use --endpoint or --sandbox.";
    }

    /** Whether an SDK message is the default chain's "no provider could load credentials". */
    static boolean isNoCredentials(String sdkMessage) {
        return sdkMessage != null && sdkMessage.startsWith("Unable to load credentials from any of the providers");
    }

    /**
     * Whether the profile is in the shared config or credentials file ({@code AWS_CONFIG_FILE},
     * {@code AWS_SHARED_CREDENTIALS_FILE}, else ~/.aws/config and ~/.aws/credentials).
     */
    static boolean profileExists(Map<String, String> env, String profile) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
        Path config = Path.of(env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config"));
        Path credentials = Path.of(env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"));
        try {
            if (Files.isRegularFile(config)
                    && ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build().profile(profile).isPresent()) {
                return true;
            }
            return Files.isRegularFile(credentials)
                    && ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build().profile(profile).isPresent();
        } catch (RuntimeException e) {
            return true; // a file the SDK cannot parse: let the SDK's chain say what is wrong with it
        }
    }

    /** Profiles in the shared files, for "--profile 'x': no such profile; profiles: a, b". */
    static List<String> profiles(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
        for (String[] f : new String[][] {{env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config"), "c"},
                {env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"), "k"}}) {
            Path p = Path.of(f[0]);
            try {
                if (Files.isRegularFile(p)) {
                    ProfileFile pf = ProfileFile.builder().content(p)
                            .type(f[1].equals("c") ? ProfileFile.Type.CONFIGURATION : ProfileFile.Type.CREDENTIALS).build();
                    pf.profiles().keySet().stream().filter(n -> !out.contains(n)).forEach(out::add);
                }
            } catch (RuntimeException ignored) {
                // unreadable: nothing to list
            }
        }
        return out;
    }

    /** The real instance-metadata lookup, within {@link #IMDS_BUDGET} (a daemon thread; an answer after it is ignored). */
    static boolean instanceMetadataAnswers() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (InstanceProfileCredentialsProvider p = InstanceProfileCredentialsProvider.builder().build()) {
                p.resolveCredentials();
                f.complete(true);
            } catch (RuntimeException e) {
                f.complete(false);
            }
        }, "ecs-deploy-imds-check");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(IMDS_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static boolean has(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
