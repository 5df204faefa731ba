package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.generate.Label;
import io.curriculum.tools.generate.Labels;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.local.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} as a user runs it, on a real broker (the embedded KRaft broker the application ships), with real
 * Kafka Streams, RocksDB and exactly_once_v2: a generated history with labelled anomalies, judged against its labels.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReplayEndToEndIT {

    /** How far an alert's evidence may lie from the labelled rows: the rule's window, and a little. */
    private static final Duration SLACK = Duration.ofMinutes(2);

    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;
    private static Path history;
    private static List<Label> labels;

    @BeforeAll
    static void startBrokerAndGenerate() throws IOException {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        history = dir.resolve("history.txt");
        final Path labelFile = dir.resolve("labels.jsonl");
        new HistoryGenerator(new GeneratorSettings(7, 40_000, LocalDate.of(2019, 1, 7), 63, CohortsCsv.bundled(), ZoneId.of("America/Chicago")))
                .write(history, labelFile);
        labels = Labels.read(labelFile);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldFindEveryInjectedAnomalyAndNoHardNegativeAndWriteTheSameAlertsOnASecondReplay() throws IOException {
        // when the generated history is replayed twice, each replay with its own id
        final Path first = dir.resolve("alerts-1.jsonl");
        final Path second = dir.resolve("alerts-2.jsonl");
        final CommandRun run = replay("replay-a", history, "--alerts-out", first.toString());
        final CommandRun again = replay("replay-b", history, "--alerts-out", second.toString());

        // then both end with a summary, and every row was processed
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        final long rows = Files.lines(history).count();
        assertThat(run.out()).contains("replay replay-a of " + history)
                .contains(String.format("rows processed    %,d of %,d produced", rows, rows))
                .contains("(bad lines skipped: 0)")
                .contains("top suspicious IPs");

        // and the alerts files are identical, line for line
        final List<String> lines = Files.readAllLines(first, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().isEqualTo(Files.readAllLines(second, StandardCharsets.UTF_8));
        final List<JsonNode> alerts = new ArrayList<>();
        for (final String line : lines) {
            alerts.add(JsonSerde.MAPPER.readTree(line));
        }

        // and every labelled anomaly that expects an alert has one
        final List<Label> positives = labels.stream().filter(Label::expectsAlert).toList();
        assertThat(positives).extracting(Label::rule).contains("burst", "crawl", "band-spike");
        for (final Label label : positives) {
            assertThat(alerts).as("an alert for " + label).anySatisfy(alert -> assertThat(matches(alert, label)).isTrue());
        }

        // and every machine-speed alert is one of the injected scrapers: no hard negative, no ordinary reader
        final List<Label> scrapers = positives.stream().filter(l -> l.scope() != null).toList();
        final List<JsonNode> machineSpeed = alerts.stream().filter(a -> List.of("burst", "crawl").contains(a.path("rule").asText())).toList();
        assertThat(machineSpeed).isNotEmpty().allSatisfy(alert -> assertThat(scrapers)
                .as("a scraper label for " + alert).anySatisfy(label -> assertThat(sameSource(alert, label)).isTrue()));
        final List<Label> negatives = labels.stream().filter(l -> !l.expectsAlert() && l.ip() != null).toList();
        assertThat(negatives).extracting(Label::kind).extracting(Enum::name).contains("NAT_CLASSROOM", "FAST_HUMAN", "PAGE_WITH_ASSETS");
        for (final Label negative : negatives) {
            assertThat(machineSpeed).as("no alert for the hard negative " + negative)
                    .noneSatisfy(alert -> assertThat(overlapsNegative(alert, negative)).isTrue());
        }

        // and every labelled inactive student has an inactive-student alert (a sparse history has a few more: each had
        // fewer accesses in its first class days than the rule's minimum, which ApiReplayEndToEndIT checks row by row)
        final List<Long> inactive = alerts.stream().filter(a -> a.path("rule").asText().equals("inactive-student"))
                .map(a -> a.path("userId").asLong()).toList();
        assertThat(labels.stream().filter(l -> l.kind().label().equals("inactive-student")).map(l -> l.userId().longValue()).toList())
                .isNotEmpty().allSatisfy(user -> assertThat(inactive).contains(user));
    }

    @Test
    void shouldCountAndReportBadLinesAndDeadLetterBadAddressesWithoutFailing() throws IOException {
        // given a history with two bad lines and a row the detector cannot use
        final Path file = dir.resolve("bad.txt");
        Files.writeString(file, String.join("\n",
                "2019-03-03 22:52:05 javascript-i/functions 341 29.0 204.44.112.76",
                "2019-03-03 22:52:06 only four fields",
                "2019-03-03 22:52:07 javascript-i/arrays 341 29.0 97.105.19.610",
                "2019-13-03 22:52:08 javascript-i/loops 341 29.0 204.44.112.76",
                "2019-03-03 22:52:09 javascript-i/loops 341 NaN 204.44.112.76",
                ""));

        // when it is replayed
        final CommandRun run = replay("replay-bad", file);

        // then the bad lines are named with their line numbers, counted, and the bad address is dead-lettered
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("bad line skipped: " + file + ":2: expected 6 space-separated fields")
                .contains("bad line skipped: " + file + ":4: date and time must read yyyy-MM-dd HH:mm:ss");
        assertThat(run.out()).contains("lines read        5 (bad lines skipped: 2)")
                .contains("rows processed    3 of 3 produced (dead-lettered 1: invalid-ip 1;");
    }

    @Test
    void shouldExitWithTwoAndSayWhyWhenTheFileIsMissingOrNotAHistory() throws IOException {
        final CommandRun missing = replay("replay-missing", dir.resolve("nope.txt"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.txt does not exist");

        final Path csv = dir.resolve("odd.csv");
        Files.writeString(csv, "a,b,c\n1,2,3\n");
        final CommandRun odd = replay("replay-odd", csv);
        assertThat(odd.exitCode()).as(odd.toString()).isEqualTo(2);
        assertThat(odd.err()).contains("line 1 has 3 comma-separated fields and no header");
    }

    @Test
    void shouldExitWithTwoWhenNoLineCouldBeUsed() throws IOException {
        // given a history of a bad line and a row whose address is no address
        final Path file = dir.resolve("unusable.txt");
        Files.writeString(file, "2019-03-03 22:52:06 only four fields\n2019-03-03 22:52:07 javascript-i/arrays 341 29.0 97.105.19.610\n");

        // when it is replayed
        final CommandRun run = replay("replay-unusable", file);

        // then the summary is printed, and the exit code says that nothing was detected
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).contains("rows processed    1 of 1 produced (dead-lettered 1: invalid-ip 1;");
        assertThat(run.err()).contains("no line of " + file + " could be used: 1 bad, 1 dead-lettered, nothing detected");
    }

    @Test
    void shouldReadAnEndedReplayBackUnderItsIdInANewWorkDirectoryWithoutProducingItAgain() throws IOException {
        // given a replay under an id that has ended on the cluster
        final Path file = Files.write(dir.resolve("part.txt"), Files.readAllLines(history).subList(0, 5_000));
        final Path first = dir.resolve("again-1.jsonl");
        final CommandRun run = CommandRun.of("replay", file.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--replay-id", "replay-again",
                "--work-dir", dir.resolve("again-work-1").toString(), "--alerts-out", first.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();

        // when the same command runs again in a new work directory, as a new container would
        final Path second = dir.resolve("again-2.jsonl");
        final CommandRun again = CommandRun.of("replay", file.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--replay-id", "replay-again",
                "--work-dir", dir.resolve("again-work-2").toString(), "--alerts-out", second.toString());

        // then it finds every row on the topic, produces none again, and writes the same alerts
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).contains("resuming replay replay-again: all 5,000 rows already produced");
        assertThat(again.out()).contains("rows processed    5,000 of 5,000 produced (dead-lettered 0; duplicates absorbed 0)")
                .contains("resumed           after 5,000 rows produced by an earlier run");
        assertThat(Files.readAllLines(second)).isNotEmpty().isEqualTo(Files.readAllLines(first));
        assertThat(dir.resolve("again-work-1")).doesNotExist();
        assertThat(dir.resolve("again-work-2")).doesNotExist();
    }

    private static CommandRun replay(final String id, final Path file, final String... more) {
        final List<String> args = new ArrayList<>(List.of("replay", file.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--replay-id", id, "--state-dir", dir.resolve("state-" + id).toString(), "--work-dir", dir.resolve("work-" + id).toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private static boolean matches(final JsonNode alert, final Label label) {
        if (!alert.path("rule").asText().equals(label.rule())) {
            return false;
        }
        if (label.rule().startsWith("band-")) {
            return alert.path("programId").asInt() == label.programId() && alert.path("lesson").asText().equals(label.lesson())
                    && Instant.parse(alert.path("since").asText()).equals(label.from());
        }
        return alert.path("scope").asText().equals(label.scope()) && sameSource(alert, label);
    }

    /** The alert's address (and user, for the client scope; the user alone, for the user scope) and time are the label's. */
    private static boolean sameSource(final JsonNode alert, final Label label) {
        if ("user".equals(alert.path("scope").asText())) {
            return label.userId() != null && alert.path("userId").asLong() == label.userId() && overlaps(alert, label.from(), label.to());
        }
        if (!alert.path("ip").asText().equals(label.ip())) {
            return false;
        }
        if ("client".equals(alert.path("scope").asText()) && (label.userId() == null || alert.path("userId").asLong() != label.userId())) {
            return false;
        }
        return overlaps(alert, label.from(), label.to());
    }

    private static boolean overlapsNegative(final JsonNode alert, final Label negative) {
        if ("user".equals(alert.path("scope").asText())) {
            return negative.userId() != null && alert.path("userId").asLong() == negative.userId() && overlaps(alert, negative.from(), negative.to());
        }
        if (!alert.path("ip").asText().equals(negative.ip())) {
            return false;
        }
        if (negative.userId() != null && "client".equals(alert.path("scope").asText()) && alert.path("userId").asLong() != negative.userId()) {
            return false;
        }
        return overlaps(alert, negative.from(), negative.to());
    }

    private static boolean overlaps(final JsonNode alert, final Instant from, final Instant to) {
        final Instant start = Instant.parse(alert.path("windowStart").asText());
        final Instant end = Instant.parse(alert.path("windowEnd").asText());
        return !start.isAfter(to.plus(SLACK)) && !end.isBefore(from.minus(SLACK));
    }
}
