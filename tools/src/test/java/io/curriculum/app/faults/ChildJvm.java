package io.curriculum.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.curriculum.tools.cli.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command of the application in a JVM of its own ({@code java -Xmx512m -cp <the test class path> Launcher ARGS}), stdout and
 * stderr together in a log file: what the fault tests start, wait for, kill with {@code kill -9} and start again.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code args} with its output in {@code log}. */
    public static Process start(final Path log, final String... args) throws IOException {
        return start(log, List.of(), Map.of(), args);
    }

    /** Starts {@code args} with these JVM options (e.g. {@code -Djava.io.tmpdir=...}) and these environment variables added. */
    public static Process start(final Path log, final List<String> jvmOptions, final Map<String, String> environment, final String... args)
            throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Launcher.class.getName());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Waits at most {@code wait} until {@code log} contains {@code text}, failing (with the log) if the process ends first;
     * returns how long it took.
     */
    public static Duration awaitLog(final Process process, final Path log, final String text, final Duration wait) {
        final long started = System.nanoTime();
        await().atMost(wait).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(process.isAlive()).as(() -> read(log)).isTrue();
            return read(log).contains(text);
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Kills the process as {@code kill -9} does and waits until it is gone. */
    public static void kill9(final Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed process is gone").isTrue();
    }

    /** Waits at most {@code wait} for the process to end by itself and returns its exit code; fails, with the log, if it does not. */
    public static int awaitExit(final Process process, final Path log, final Duration wait) throws InterruptedException {
        assertThat(process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)).as(() -> "ended within " + wait + "\n" + read(log)).isTrue();
        return process.exitValue();
    }

    /** Stops a process a test left running, if any. */
    public static void stop(final Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** What the process wrote so far; empty before it wrote anything. */
    public static String read(final Path log) {
        try {
            return Files.readString(log);
        } catch (final IOException e) {
            return "";
        }
    }
}
