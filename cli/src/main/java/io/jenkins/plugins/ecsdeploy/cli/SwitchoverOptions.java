package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.switchover.FlagStore;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SsmFlagStore;
import io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverFollower;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverState;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code deploy}'s switchover flag of a headless service (docs/cutovers.md "Switchover flag"): at a lifecycle stage
 * the engine sets an SSM parameter to green's value, continues the deployment, and sets it back on rollback. With
 * --sandbox the flag lives in memory (the sandbox has no SSM), seeded with blue's value, so the flow can be tried.
 */
final class SwitchoverOptions {
    @Option(order = 70, names = "--switchover-parameter", paramLabel = "NAME",
            description = "Switch a headless service over with this SSM parameter: set to green's value at --switchover-stage, "
                    + "back to blue's on rollback (docs/cutovers.md).")
    String parameter;

    @Option(order = 71, names = "--switchover-stage", paramLabel = "STAGE",
            description = "Where: POST_SCALE_UP, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT or POST_PRODUCTION_TRAFFIC_SHIFT "
                    + "(default).")
    String stage;

    @Option(order = 72, names = "--switchover-green", paramLabel = "VALUE",
            description = "Green's value (default {taskDefinition}: green's family:revision; {taskDefinitionArn}: its ARN).")
    String green;

    @Option(order = 73, names = "--switchover-blue", paramLabel = "VALUE",
            description = "Blue's value, written back on rollback (default {taskDefinition}: blue's family:revision).")
    String blue;

    @Option(order = 74, names = "--switchover-timeout-minutes", paramLabel = "MINUTES",
            description = "How long ECS holds the deployment at the stage for the engine (its PAUSE hook; default 30): if no "
                    + "engine answers, ECS rolls back and nothing was switched.")
    Integer timeoutMinutes;

    /** Null when no switchover was asked for. */
    Switchover switchover() {
        if (parameter == null && stage == null && green == null && blue == null && timeoutMinutes == null) {
            return null;
        }
        if (parameter == null) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--switchover-parameter", null,
                    "required with the other --switchover-* flags: the SSM parameter to set").message());
        }
        return new Switchover(stage == null ? null : stage.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), parameter,
                green, blue, timeoutMinutes);
    }

    /** The request with the switchover's gate, after its own checks (exit 2 naming the flag, nothing sent). */
    static DeploymentRequest apply(DeploymentRequest r, Switchover s) {
        if (s == null) {
            return r;
        }
        List<ValidationProblem> p = SwitchoverValidator.validate(r, s);
        if (!p.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, p.stream().map(x -> new ValidationProblem(flag(x.field()), x.value(),
                    x.allowed()).message()).toList());
        }
        return s.applyTo(r);
    }

    static String flag(String field) {
        return switch (field) {
            case "switchover.stage" -> "--switchover-stage";
            case "switchover.green" -> "--switchover-green";
            case "switchover.blue" -> "--switchover-blue";
            case "switchover.timeoutMinutes" -> "--switchover-timeout-minutes";
            case "switchover", "switchover.parameter" -> "--switchover-parameter";
            default -> FlagNames.flagFor(field);
        };
    }

    /** Where the flag lives for this session: SSM (AWS or --endpoint), or memory in the sandbox. */
    static FlagStore store(Session session, Switchover s) {
        if (session.sandbox != null) {
            return new MemoryFlags();
        }
        return SsmFlagStore.create(session.engine.config());
    }

    /**
     * Follows the switchover next to the deployment's own follow: it answers the gate at its stage (the caller's gate
     * handler must leave that stage alone) and reports every change of the flag.
     */
    static Running follow(Session session, DeploymentHandle h, Switchover s, FlagStore flags, Consumer<SwitchoverState> onChange) {
        ExecutorService io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ecs-deploy-switchover");
            t.setDaemon(true);
            return t;
        });
        SwitchoverFollower f = new SwitchoverFollower(session.engine, flags, io);
        return new Running(f.follow(h, s, null, g -> { }, onChange), io, flags);
    }

    /** Reads only: the flag exists and is no secret (exit 2 otherwise, before the deployment starts). */
    static void preflight(Session session, Switchover s, FlagStore flags) {
        if (flags instanceof MemoryFlags m) {
            m.values.putIfAbsent(s.parameter(), "(blue)");
        }
        try {
            new SwitchoverFollower(session.engine, flags, Runnable::run).preflight(s);
        } catch (InvalidRequestException e) {
            throw new CliException(ExitCodes.USAGE, e.problems().stream().map(x -> new ValidationProblem(flag(x.field()),
                    x.value(), x.allowed()).message()).toList());
        }
    }

    record Running(SwitchoverFollower.Run run, ExecutorService io, FlagStore flags) implements AutoCloseable {
        /** Waits (at most 30 s) for a flip back the deployment's end still needs. */
        SwitchoverState finish() {
            try {
                run.outcome().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported through the state
            }
            return run.switchover();
        }

        @Override
        public void close() {
            run.close();
            io.shutdownNow();
            if (flags instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    /** The sandbox's flag: in memory (the embedded simulator has no SSM). */
    static final class MemoryFlags implements FlagStore {
        final Map<String, String> values = new ConcurrentHashMap<>();

        @Override
        public Flag read(String name) {
            String v = values.get(name);
            return v == null ? null : new Flag(v, false);
        }

        @Override
        public void write(String name, String value) {
            values.put(name, value);
        }

        @Override
        public String kind() {
            return "sandbox flag";
        }
    }
}
