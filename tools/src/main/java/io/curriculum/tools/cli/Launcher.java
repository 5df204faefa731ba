package io.curriculum.tools.cli;

import io.curriculum.app.cli.Main;
import io.curriculum.app.cli.RulesCommand;
import io.curriculum.app.cli.RunCommand;
import io.curriculum.app.cli.VersionProvider;
import io.curriculum.tools.history.HistoryFormatException;
import io.curriculum.tools.replay.ReplayRefusedException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/detector}: every command, {@code demo}, {@code run}, {@code replay}, {@code explain}, {@code rules} and
 * {@code generate}, with the embedded broker as the default cluster (module {@code app} alone has {@code run} and
 * {@code rules} only, on a cluster of your own). Exit codes: 0 done, 1 a runtime failure (broker unreachable, Streams
 * died), 2 a usage or input error (wrong option, unreadable file, bad configuration), 130 interrupted.
 */
@Command(name = "detector",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                Main.ABOUT,
                "",
                "Start with 'demo': it needs nothing but this program."},
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, ExplainCommand.class, RulesCommand.class, GenerateCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", Main.EXIT_CODES, Main.COMMAND_HELP})
public final class Launcher implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code, without exiting: what tests call. */
    public static int execute(final String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return Main.commandLine(new Launcher(), List.of(HistoryFormatException.class, ReplayRefusedException.class));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: demo, run, replay, explain, rules or generate");
    }
}
