package io.curriculum.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.tools.cli.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detector generate} end to end through the command line's entry point. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void shouldWriteHistoryAndLabelsWhenGenerateRuns() throws IOException {
        // given
        final Path history = dir.resolve("history.txt");

        // when
        final int exit = Launcher.execute("generate", "--out", history.toString(), "--rows", "5000", "--days", "14", "--seed", "3");

        // then
        assertThat(exit).isZero();
        assertThat(history).isRegularFile();
        assertThat(dir.resolve("history.txt.labels.jsonl")).isRegularFile();
        assertThat(Files.readAllLines(history)).hasSizeBetween(4900, 5100);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("generated ").contains("rows/s").contains(history.toString());
    }

    @Test
    void shouldExitWithUsageErrorWhenRowsAreTooFew() {
        // when
        final int exit = Launcher.execute("generate", "--out", dir.resolve("h.txt").toString(), "--rows", "5");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("rows must be between");
    }

    @Test
    void shouldExitWithUsageErrorWhenTheOutputCannotBeWritten() {
        // given
        final Path nowhere = dir.resolve("missing-directory").resolve("h.txt");

        // when
        final int exit = Launcher.execute("generate", "--out", nowhere.toString(), "--rows", "1000", "--days", "3");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(nowhere.toString());
    }

    @Test
    void shouldExitWithUsageErrorWhenTheSpanHasNoCohort() {
        // when
        final int exit = Launcher.execute("generate", "--out", dir.resolve("h.txt").toString(), "--start", "2013-01-01", "--days", "30");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no cohort is active");
    }
}
