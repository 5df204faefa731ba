package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.curriculum.app.generate.GeneratorSettings;
import io.curriculum.app.generate.HistoryGenerator;
import io.curriculum.app.history.CohortsCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} stopped with SIGTERM halfway, in its own JVM: it closes the detector and its embedded broker and
 * removes its temporary directory before the JVM exits, instead of leaving them behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplayInterruptTest {

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCloseEverythingAndRemoveItsTemporaryDirectoryWhenTerminatedMidReplay() throws Exception {
        // given a replay of a generated history running in its own JVM, with its temporary files in a directory of ours
        final Path history = dir.resolve("history.txt");
        new HistoryGenerator(new GeneratorSettings(3, 200_000, LocalDate.of(2019, 1, 7), 42, CohortsCsv.bundled(), ZoneId.of("America/Chicago")))
                .write(history, dir.resolve("labels.jsonl"));
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path log = dir.resolve("replay.log");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "replay", history.toString(), "--replay-id", "interrupted")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as(() -> read(log)).isTrue();
            return read(log).contains("replaying " + history);
        });
        assertThat(replayDirectories(tmp)).hasSize(1);

        // when it gets SIGTERM mid-replay
        process.destroy();

        // then it ends within the bound, having stopped what it started and removed its temporary directory
        assertThat(process.waitFor(40, TimeUnit.SECONDS)).as(() -> read(log)).isTrue();
        assertThat(read(log)).contains("replay: interrupted").doesNotContain("replay replay-");
        assertThat(replayDirectories(tmp)).as(() -> read(log)).isEmpty();
    }

    private static List<Path> replayDirectories(final Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("detector-replay-")).toList();
        }
    }

    private static String read(final Path log) {
        try {
            return Files.readString(log);
        } catch (final IOException e) {
            return "";
        }
    }
}
