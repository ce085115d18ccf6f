package io.jenkins.plugins.ecsdeploy.simulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar ecs-simulator.jar --port N [--scenario file.json] [--speed F]}: prints the endpoint URL on the
 * first line, then one line per seeded service, and serves until stopped (Ctrl-C / SIGTERM).
 */
@Command(name = "ecs-simulator", mixinStandardHelpOptions = true, version = "ecs-simulator 0.1",
        description = "A local Amazon ECS endpoint (JSON 1.1 on loopback) running native deployments in virtual time.")
public final class Main implements Callable<Integer> {

    @Option(names = "--port", description = "TCP port on 127.0.0.1 (0 = a free port; default ${DEFAULT-VALUE})", defaultValue = "0")
    int port;

    @Option(names = "--scenario", description = "JSON scenario file (docs/simulator.md, \"Scenario file\")")
    Path scenario;

    @Option(names = "--speed", description = "virtual seconds per real second (default: the file's clock.speed, else 1)")
    Double speed;

    @Option(names = "--seed", description = "random seed (default: the file's randomSeed, else 42)")
    Long seed;

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private EcsSimulator started;

    /** Parses the arguments and starts a simulator (does not block). Throws picocli's ParameterException on bad input. */
    public static EcsSimulator start(PrintStream out, String... args) throws Exception {
        return start(out, System.err, args);
    }

    /** The same, with warnings (e.g. a clock.start far from now) going to {@code err}. */
    public static EcsSimulator start(PrintStream out, PrintStream err, String... args) throws Exception {
        Main m = new Main();
        m.out = out;
        m.err = err;
        CommandLine cl = new CommandLine(m);
        cl.parseArgs(args);
        if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
            return null;
        }
        m.call();
        return m.started;
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--port '" + port + "': 0 to 65535");
        }
        ScenarioFile file = null;
        if (scenario != null) {
            try {
                file = ScenarioFile.load(scenario);
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--scenario: " + e.getMessage(), e, null, String.valueOf(scenario));
            }
        }
        double s = speed != null ? speed : file != null && file.speed() != null ? file.speed() : 1.0;
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--speed '" + s + "': a number > 0");
        }
        // The clock starts at the current wall time unless the file names a start: an engine on the wall clock finds
        // the deployment UpdateService created by listing deployments created after (its now - skew), so a virtual
        // clock far in the past hides every new deployment from it (docs/simulator.md "Running it on its own").
        Instant now = Instant.now();
        Instant start = file != null && file.clockStart() != null ? file.clockStart() : now;
        if (Duration.between(start, now).abs().compareTo(Duration.ofMinutes(1)) > 0) {
            err.println("warning: clock.start " + start + " is " + Duration.between(start, now).abs().toMinutes()
                    + " minutes " + (start.isBefore(now) ? "before" : "after") + " the current time; an engine or CLI"
                    + " running on the wall clock may not find the deployments it starts here (ListServiceDeployments"
                    + " filters on createdAt). Remove clock.start (or set it to \"now\") to start at the current time.");
        }
        EcsSimulator.Builder b = EcsSimulator.builder().clock(VirtualClock.scaled(start, s)).port(port);
        if (file != null) {
            b.scenario(file.scenario());
        }
        Long rs = seed != null ? seed : file != null ? file.randomSeed() : null;
        if (rs != null) {
            b.randomSeed(rs);
        }
        EcsSimulator sim = b.build().start();
        out.println(sim.endpoint());
        if (file != null) {
            List<SeededService> seeded = file.applyTo(sim);
            for (SeededService x : seeded) {
                out.println("seeded service " + x.serviceArn() + " (task definition " + x.taskDefinitionArn() + ")");
            }
        }
        out.flush();
        started = sim;
        return 0;
    }

    public static void main(String[] args) throws Exception {
        EcsSimulator sim;
        try {
            sim = start(System.out, args);
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            e.getCommandLine().usage(System.err);
            System.exit(2);
            return;
        }
        if (sim == null) {
            new CommandLine(new Main()).execute(args); // prints help / version
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stop.countDown();
        }, "ecs-simulator-shutdown"));
        stop.await();
    }
}
