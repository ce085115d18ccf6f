package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code ecs-deploy}: the command line of Amazon ECS Deployments (docs/cli.md). */
@Command(name = "ecs-deploy", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Deploy Amazon ECS services with the ECS deployment controller (rolling, blue/green, canary, "
                + "linear), with approval gates, and watch the progress.",
        subcommands = {DeployCommand.class, PlanCommand.class, StatusCommand.class, ApproveCommand.class, ReleaseCommand.class,
                RollbackCommand.class, HistoryCommand.class, RedeployCommand.class, DemoCommand.class,
                CutoverCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (SUCCEEDED, reached --wait-until, gate decided)",
                "1:unexpected error",
                "2:invalid command line or request (nothing was changed in AWS)",
                "3:the deployment was rolled back",
                "4:the deployment failed, was stopped, or its rollback failed",
                "5:an AWS call was refused or could not be made, or ECS did not do what was asked",
                "6:approve/rollback: no gate waiting, already decided, expired, or finished",
                "7:approve/rollback: the approval policy does not allow you"})
public final class Main implements Runnable {
    final Cli cli;

    @Spec
    CommandSpec spec;

    public Main(Cli cli) {
        this.cli = cli;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "a command is required: deploy, plan, status, approve, rollback, release, history, redeploy, demo or cutover (see ecs-deploy --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args, Cli.system()));
    }

    /** Runs the command line and returns the exit code (docs/cli.md "Exit codes"). */
    public static int run(String[] args, Cli cli) {
        CommandLine cl = new CommandLine(new Main(cli));
        cl.setOut(cli.out);
        cl.setErr(cli.err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::parameterError);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> executionError(ex, cli));
        int code = cl.execute(args);
        cli.out.flush();
        cli.err.flush();
        return code;
    }

    /** Usage problems found by picocli itself (unknown flag, missing value): one line each, exit 2. */
    private static int parameterError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        var err = cl.getErr();
        String cmd = cl.getCommandSpec().qualifiedName();
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            for (String a : u.getUnmatched()) {
                String hint = u.getSuggestions().isEmpty() ? "" : " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
                err.println(new ValidationProblem(SafeText.value(a), null, "not an option or argument of '" + cmd + "'" + hint
                        + "; see '" + cmd + " --help'").message());
            }
        } else if (ex instanceof CommandLine.MissingParameterException m && m.getMissing() != null && !m.getMissing().isEmpty()) {
            for (var a : m.getMissing()) {
                String name = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
                err.println(name + ": a value " + a.paramLabel() + " is required");
            }
        } else if (ex.getArgSpec() instanceof OptionSpec o) {
            err.println(new ValidationProblem(o.longestName(), ex.getValue(), ex.getMessage()).message());
        } else {
            err.println(SafeText.line(ex.getMessage()));
        }
        err.println("See '" + cmd + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Errors while a command runs: our own exits, invalid requests, AWS errors, bugs. */
    static int executionError(Exception ex, Cli cli) {
        Throwable t = unwrap(ex);
        if (t instanceof CliException c) {
            c.lines().forEach(l -> cli.err.println(SafeText.line(l, 4000)));
            cli.err.flush();
            return c.exitCode();
        }
        if (t instanceof InvalidRequestException ir) {
            problemLines(ir.problems()).forEach(cli.err::println);
            cli.err.flush();
            return ExitCodes.USAGE;
        }
        if (t instanceof io.jenkins.plugins.ecsdeploy.engine.EngineException ee) {
            // ECS refused a write, the new deployment did not appear, an ARN is unknown: the message says what to do
            cli.err.println(SafeText.line(ee.getMessage(), 4000));
            cli.err.flush();
            return ExitCodes.AWS_ERROR;
        }
        if (t instanceof SdkException sdk && CredentialsCheck.isNoCredentials(sdk.getMessage())) {
            // the SDK's chain lists every provider's refusal (about 1,300 characters): one line instead
            cli.err.println(CredentialsCheck.message(cli.env.getOrDefault("AWS_PROFILE", "default")));
            cli.err.flush();
            return ExitCodes.AWS_ERROR;
        }
        if (t instanceof SdkException sdk) {
            cli.err.println("AWS call failed: " + SafeText.line(firstLine(sdk.getMessage()), 2000));
            cli.err.flush();
            return ExitCodes.AWS_ERROR;
        }
        cli.err.println("unexpected error: " + SafeText.line(String.valueOf(t), 2000));
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(8, st.length); i++) {
            cli.err.println("    at " + st[i]);
        }
        cli.err.flush();
        return ExitCodes.UNEXPECTED;
    }

    /** Engine problems with their fields translated into flags. */
    static List<String> problemLines(List<ValidationProblem> problems) {
        List<String> lines = new ArrayList<>();
        for (ValidationProblem p : problems) {
            lines.add(new ValidationProblem(FlagNames.flagFor(p.field()), p.value(), p.allowed()).message());
        }
        return lines;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Version from the jar manifest (the shade plugin keeps the module's version there), else "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ecs-deploy " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
