package io.curriculum.app.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The production command line: {@code run} and {@code rules}, on a cluster of your own (this module carries no Kafka
 * server; {@code bin/detector}'s launcher in module {@code tools} adds the embedded broker and the analysts' tools). Exit
 * codes: 0 done, 1 a runtime failure (broker unreachable, Streams died), 2 a usage or input error (wrong option,
 * unreadable file, bad configuration), 130 interrupted.
 */
@Command(name = "detector",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                Main.ABOUT,
                "",
                "This is the production launcher: 'run' and 'rules' on the cluster --bootstrap-servers names. bin/detector "
                        + "also has demo, replay, explain and generate, and an embedded broker."},
        subcommands = {RunCommand.class, RulesCommand.class, CommandLine.HelpCommand.class},
        footer = {"", Main.EXIT_CODES, Main.COMMAND_HELP})
public final class Main implements Runnable {

    /** The first lines of every launcher's help. */
    public static final String ABOUT = "Real-time anomaly detector for curriculum access logs: machine-speed access (scrapers, "
            + "crawlers) and Bollinger-band breaches of lesson traffic, from Debezium change events on Kafka.";
    public static final String EXIT_CODES = "Exit codes: 0 done, 1 runtime failure, 2 usage or input error, 130 interrupted.";
    public static final String COMMAND_HELP = "Run 'detector COMMAND --help' for a command's options.";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine(new Main(), List.of()).execute(args));
    }

    /**
     * A launcher's command line rooted at {@code root}: failures turned into one line and an exit code, the exceptions
     * of {@code usersToFix} (beside this module's) counted as the user's to fix (exit code 2).
     */
    public static CommandLine commandLine(final Object root, final List<Class<? extends Exception>> usersToFix) {
        final CommandLine line = new CommandLine(root);
        final Failures failures = new Failures(usersToFix);
        line.setExecutionExceptionHandler(failures);
        line.setExitCodeExceptionMapper(failures);
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run or rules");
    }
}
