package io.curriculum.app.cli;

import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a command throws into one line on stderr and an exit code: 2 for what the user can fix (a bad
 * option, file or configuration value, named in the message), 1 for a runtime failure (with its cause, so it
 * can be reported).
 */
public final class Failures implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

    public static final int RUNTIME_FAILURE = 1;
    public static final int USAGE = 2;
    public static final int INTERRUPTED = 130;

    /** Exceptions of a launcher's own commands that are the user's to fix, beside those of this module. */
    private final List<Class<? extends Exception>> alsoUsersToFix;

    Failures(final List<Class<? extends Exception>> alsoUsersToFix) {
        this.alsoUsersToFix = List.copyOf(alsoUsersToFix);
    }

    @Override
    public int handleExecutionException(final Exception e, final CommandLine line, final ParseResult parsed) {
        final String command = line.getCommandName();
        if (isUsersToFix(e)) {
            line.getErr().println(command + ": " + e.getMessage());
            return USAGE;
        }
        if (e instanceof InterruptedException) {
            line.getErr().println(command + ": interrupted");
            return INTERRUPTED;
        }
        line.getErr().println(command + ": failed: " + e);
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            line.getErr().println("  caused by: " + cause);
        }
        return RUNTIME_FAILURE;
    }

    @Override
    public int getExitCode(final Throwable e) {
        return isUsersToFix(e) ? USAGE : RUNTIME_FAILURE;
    }

    private boolean isUsersToFix(final Throwable e) {
        return e instanceof ConfigException || e instanceof UsageException
                || e instanceof CommandLine.ParameterException // picocli asks this mapper for parse errors too
                || alsoUsersToFix.stream().anyMatch(type -> type.isInstance(e));
    }
}
