package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.tools.cli.Launcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line as a user meets it: help, exit codes and messages of usage errors. Every case here is refused
 * before a broker could start; the timeout catches a regression that would start one.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(final String... args) {
        final CommandLine line = Launcher.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    private Path history() throws IOException {
        return Files.writeString(dir.resolve("history.txt"), "2018-01-26 09:55:03 / 1 8.0 97.105.19.61\n");
    }

    @Test
    void shouldListEveryCommandWhenAskedForHelp() {
        // when
        final int code = execute("--help");

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("demo", "run", "replay", "generate");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldSummariseEachCommandInAWholeSentenceWhenAskedForHelp() {
        // when
        final int code = execute("--help");

        // then each command's summary, continuation lines joined, is one whole sentence
        assertThat(code).isZero();
        final Map<String, String> summaries = commandSummaries(out.toString());
        assertThat(summaries).containsOnlyKeys("demo", "run", "replay", "explain", "rules", "generate", "help");
        summaries.forEach((command, summary) -> assertThat(summary).as(command)
                .matches("[A-Z][^.]*\\.").doesNotContain(":"));
    }

    /** The "Commands:" section of a help text: each command with its summary, wrapped lines joined. */
    private static Map<String, String> commandSummaries(final String help) {
        final Map<String, String> summaries = new LinkedHashMap<>();
        final List<String> lines = help.lines().toList();
        String command = null;
        for (final String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
            if (line.isBlank()) {
                break;
            }
            final Matcher start = Pattern.compile("^  (\\S+)\\s+(.*)$").matcher(line);
            if (start.matches()) {
                command = start.group(1);
                summaries.put(command, start.group(2).trim());
            } else {
                summaries.merge(command, line.trim(), (a, b) -> a + " " + b);
            }
        }
        return summaries;
    }

    @Test
    void shouldNameTheDemoTopicsAsTheyAreNamedWhenAskedForDemoHelp() {
        // when
        final int code = execute("demo", "--help");

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("demo-<millis>.*").doesNotContain("(demo.*)");
    }

    @Test
    void shouldDescribeTheExportFormatWhenAskedForReplayHelp() {
        // when
        final int code = execute("replay", "--help");

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("date time path user_id cohort_id ip", "FILE");
    }

    @Test
    void shouldExitWithUsageErrorNamingTheOptionWhenTheOptionIsUnknown() {
        // when
        final int code = execute("replay", "--no-such-option", "history.txt");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-option");
    }

    @Test
    void shouldExitWithUsageErrorWhenNoCommandIsGiven() {
        // when
        final int code = execute();

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void shouldExitWithUsageErrorSayingSoWhenTheReplayedFileDoesNotExist() {
        // given
        final Path missing = dir.resolve("nowhere.txt");

        // when
        final int code = execute("replay", missing.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(missing.toString(), "does not exist");
    }

    @Test
    void shouldExitWithUsageErrorWhenTheReplayedFileIsADirectory() {
        // when
        final int code = execute("replay", dir.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("history file " + dir + " is a directory");
    }

    @Test
    void shouldExitWithUsageErrorNamingSpeedWhenTheReplaySpeedIsNegative() throws IOException {
        // given
        final Path history = history();

        // when
        final int code = execute("replay", "--speed", "-1", history.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--speed", "-1.0");
    }

    @Test
    void shouldExitWithUsageErrorNamingPartitionsWhenRunIsGivenZeroPartitions() {
        // when
        final int code = execute("run", "--partitions", "0", "--data-dir", dir.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--partitions must be at least 1, not 0");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorNamingRowsBeforeStartingABrokerWhenDemoIsAskedForTooFewRows() {
        // when
        final int code = execute("demo", "--rows", "5", "--data-dir", dir.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("rows must be between 1000", "was 5")
                .doesNotContain("starting an embedded Kafka broker");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorBeforeStartingABrokerWhenTheDemoFileDoesNotExist() {
        // given
        final Path missing = dir.resolve("nowhere.txt");

        // when
        final int code = execute("demo", "--file", missing.toString(), "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(missing.toString(), "does not exist")
                .doesNotContain("starting an embedded Kafka broker");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorBeforeStartingABrokerWhenTheAlertsOutIsADirectory() throws IOException {
        // given
        final Path history = history();

        // when
        final int code = execute("replay", history.toString(), "--alerts-out", dir.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--alerts-out cannot write " + dir + ": it is a directory")
                .doesNotContain("starting an embedded Kafka broker");
    }

    @Test
    void shouldExitWithUsageErrorBeforeStartingABrokerWhenTheAlertsOutCannotBeCreated() throws IOException {
        // given an alerts file whose parent is a file
        final Path history = history();
        final Path alerts = history.resolve("alerts.jsonl");

        // when
        final int code = execute("replay", history.toString(), "--alerts-out", alerts.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--alerts-out cannot write " + alerts + ": " + history.toAbsolutePath() + " is not a directory")
                .doesNotContain("starting an embedded Kafka broker");
    }

    @Test
    void shouldExitWithUsageErrorBeforeStartingABrokerWhenNoAlertsFileCanBeCreatedThere() throws IOException {
        // given
        final Path history = history();

        // when
        final int code = execute("replay", history.toString(), "--alerts-out", "/proc/x");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--alerts-out cannot write /proc/x: no file can be created there")
                .doesNotContain("starting an embedded Kafka broker");
    }

    @Test
    void shouldExitWithUsageErrorNamingTheKafkaPortBeforeStartingAnythingWhenItIsOutOfRange() throws IOException {
        // given
        final Path history = history();

        // when
        final int replay = execute("replay", history.toString(), "--kafka-port", "99999");
        final int run = execute("run", "--kafka-port", "-1", "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(replay).isEqualTo(2);
        assertThat(run).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-port", "a port must be from 0 (any free port) to 65535, not 99999", "not -1")
                .doesNotContain("starting an embedded Kafka broker");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorSayingSoWhenTheDemoFileIsADirectory() {
        // when
        final int code = execute("demo", "--file", dir.toString(), "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("history file " + dir + " is a directory");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorNamingSpeedWhenTheDemoSpeedIsNotANumber() {
        // when
        final int code = execute("demo", "--speed", "fast", "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'--speed'", "must be a number, not 'fast'");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorNamingTheChoicesWhenTheDemoSourceIsUnknown() {
        // when
        final int code = execute("demo", "--source", "postgres", "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'--source'", "must be auto, database or file, not 'postgres'");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorWhenTheDemoIsGivenARateForTheFileSource() {
        // when
        final int code = execute("demo", "--source", "file", "--rate", "500", "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--rate paces the database source's INSERTs");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorWhenTheDemoIsGivenASpeedForTheDatabaseSource() {
        // when (a machine without mariadbd fails here too, naming the package mariadb-server)
        final int code = execute("demo", "--source", "database", "--speed", "3600", "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--speed paces the file source");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorWhenTheDemoRateIsNotPositive() {
        // when
        final int code = execute("demo", "--rate", "0", "--data-dir", dir.resolve("data").toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'--rate'", "must be a positive number of rows per second, not 0");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void shouldExitWithUsageErrorNamingTheKeyBeforeStartingABrokerWhenTheConfigHasABadValue() throws IOException {
        // given
        final Path config = Files.writeString(dir.resolve("detector.properties"), "detector.burst.window=soon\n");

        // when
        final int code = execute("run", "--config", config.toString(), "--data-dir", dir.resolve("data").toString(), "--metrics-port", "0");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("detector.burst.window").doesNotContain("starting an embedded Kafka broker");
        assertThat(dir.resolve("data").resolve("kafka")).doesNotExist();
    }
}
