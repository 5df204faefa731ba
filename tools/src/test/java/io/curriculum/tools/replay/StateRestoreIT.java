package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.local.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's state survives the loss of its local copy: every store is restored from its changelog and the
 * detector goes on as if it had never stopped. This pins what {@code MirroredStore} relies on (Kafka Streams writes its
 * changes at every commit): had a change stayed in memory, the restored detector would miss it, and its alerts would
 * differ (a band without its history, a scraper's episode alerted twice, a student's accesses forgotten).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StateRestoreIT {

    @TempDir
    Path dir;

    @Test
    void shouldRestoreEveryStoreFromItsChangelogAndAlertAsAnUninterruptedReplayDoes() throws Exception {
        // given a generated history with labelled anomalies over nine weeks, cut in two halves
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        final Path history = dir.resolve("history.txt");
        new HistoryGenerator(new GeneratorSettings(11, 30_000, LocalDate.of(2019, 1, 7), 63, cohorts, ZoneId.of("America/Chicago")))
                .write(history, dir.resolve("labels.jsonl"));
        final List<String> lines = Files.readAllLines(history);
        final Path firstHalf = Files.write(dir.resolve("first.txt"), lines.subList(0, lines.size() / 2));
        final Path secondHalf = Files.write(dir.resolve("second.txt"), lines.subList(lines.size() / 2, lines.size()));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            final DetectorConfig base = DetectorConfig.from(client, Map.of());

            // when one replay reads the whole history
            final Path whole = dir.resolve("whole.jsonl");
            replay(base, client, "whole", dir.resolve("whole-state"), history, cohorts, whole);

            // and another reads the first half, stops, loses its local state, and reads the second half
            final Path state = dir.resolve("halves-state");
            replay(base, client, "halves", state, firstHalf, cohorts, dir.resolve("first.jsonl"));
            deleteRecursively(state);
            final Path halves = dir.resolve("halves.jsonl");
            final ReplaySummary second = replay(base, client, "halves", state, secondHalf, cohorts, halves);

            // then the restored detector raised the same alerts, byte for byte, as the one that never stopped
            assertThat(second.rowsProduced()).isEqualTo(lines.size() - lines.size() / 2);
            final List<String> expected = Files.readAllLines(whole);
            assertThat(expected).as("alerts of the uninterrupted replay").hasSizeGreaterThan(10);
            assertThat(Files.readAllLines(halves)).containsExactlyElementsOf(expected);
        }
    }

    private static ReplaySummary replay(final DetectorConfig base, final Properties client, final String id, final Path state, final Path file,
                                        final List<CohortRow> cohorts, final Path alertsOut) throws InterruptedException {
        try (Replay replay = new Replay(base, client, id, state)) {
            return replay.run(file, cohorts, 0, alertsOut, new ProgressListener() { });
        }
    }

    private static void deleteRecursively(final Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
