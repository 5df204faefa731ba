package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.app.faults.ChildJvm;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} stopped halfway, in its own JVM, with its temporary files in a directory of the test's
 * ({@code -Djava.io.tmpdir}): with SIGTERM it closes the detector and its embedded broker and removes its temporary work
 * directory before the JVM exits, or, given a replay id, keeps its work directory and says that the same command resumes
 * it; killed with {@code kill -9} it cannot clean up, and the next replay removes what it left, saying so.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplayInterruptIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path shared;
    private static Path history;
    @TempDir
    Path dir;
    private Process process;

    @BeforeAll
    static void generate() throws IOException {
        history = shared.resolve("history.txt");
        new HistoryGenerator(new GeneratorSettings(3, 200_000, LocalDate.of(2019, 1, 7), 42, CohortsCsv.bundled(), ZoneId.of("America/Chicago")))
                .write(history, shared.resolve("labels.jsonl"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        ChildJvm.stop(process);
    }

    @Test
    void shouldCloseEverythingAndRemoveItsTemporaryDirectoryWhenTerminatedMidReplay() throws Exception {
        // given a replay of a generated history running in its own JVM, without a replay id
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path log = dir.resolve("replay.log");
        process = startReplay(tmp, log);
        assertThat(replayDirectories(tmp)).hasSize(1);

        // when it gets SIGTERM mid-replay
        process.destroy();

        // then it ends within the bound, having stopped what it started and removed its temporary directory
        assertThat(process.waitFor(40, TimeUnit.SECONDS)).as(() -> ChildJvm.read(log)).isTrue();
        assertThat(ChildJvm.read(log)).contains("replay: interrupted").doesNotContain("replay replay-");
        assertThat(replayDirectories(tmp)).as(() -> ChildJvm.read(log)).isEmpty();
    }

    @Test
    void shouldKeepTheWorkDirectoryOfAReplayWithAnIdWhenTerminatedAndSayThatTheSameCommandResumesIt() throws Exception {
        // given a replay with an id running in its own JVM
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path log = dir.resolve("replay.log");
        process = startReplay(tmp, log, "--replay-id", "kept");

        // when it gets SIGTERM mid-replay
        process.destroy();

        // then it ends within the bound, its work directory kept with the broker's data in it, and says how to go on
        assertThat(process.waitFor(40, TimeUnit.SECONDS)).as(() -> ChildJvm.read(log)).isTrue();
        final Path work = tmp.resolve("detector-replays").resolve("kept");
        assertThat(ChildJvm.read(log)).contains("replay: interrupted")
                .contains("replay kept did not end; its work directory " + work + " is kept: the same command resumes it");
        assertThat(work.resolve("kafka")).isDirectory();
        assertThat(replayDirectories(tmp)).isEmpty();
    }

    @Test
    void shouldRemoveTheTemporaryDirectoryOfAKilledReplayAtTheNextStartAndSaySo() throws Exception {
        // given a replay without an id killed -9 mid-replay: its temporary directory is left behind
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        process = startReplay(tmp, dir.resolve("killed.log"));
        ChildJvm.kill9(process);
        final List<Path> left = replayDirectories(tmp);
        assertThat(left).hasSize(1);

        // when the next replay starts (a small file, to its end)
        final Path small = Files.writeString(dir.resolve("small.txt"), "2019-03-03 22:52:05 javascript-i/functions 341 29.0 204.44.112.76\n");
        final Path log = dir.resolve("next.log");
        process = ChildJvm.start(log, List.of("-Djava.io.tmpdir=" + tmp), Map.of(), "replay", small.toString());
        final int exit = ChildJvm.awaitExit(process, log, WAIT);

        // then it removed the directory the killed one left, said so, and left nothing itself
        assertThat(exit).as(() -> ChildJvm.read(log)).isZero();
        assertThat(ChildJvm.read(log)).containsPattern("removed " + left.get(0) + ", left by replay replay-[0-9-]+ \\(pid [0-9]+\\), which did not end");
        assertThat(replayDirectories(tmp)).isEmpty();
    }

    /** Starts a replay of the generated history in its own JVM and waits until it produces rows. */
    private Process startReplay(final Path tmp, final Path log, final String... more) throws IOException {
        final List<String> args = new ArrayList<>(List.of("replay", history.toString()));
        args.addAll(List.of(more));
        final Process started = ChildJvm.start(log, List.of("-Djava.io.tmpdir=" + tmp), Map.of(), args.toArray(String[]::new));
        process = started;
        ChildJvm.awaitLog(started, log, "replaying " + history, WAIT);
        return started;
    }

    private static List<Path> replayDirectories(final Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("detector-replay-")).toList();
        }
    }
}
