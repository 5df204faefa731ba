package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.local.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code replay} of files out of order and of files full of bad lines, on a real broker: the order of the rows in the file
 * does not change the alerts, a few rows dated far ahead cost no other row, and every line read is accounted for.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReplayOrderAndRejectsIT {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern EVERY_LINE = Pattern.compile(
            "every line +([\\d,]+) read = ([\\d,]+) accepted \\+ ([\\d,]+) rejected[^+]*\\+ ([\\d,]+) dead-lettered \\+ ([\\d,]+) blank or header");

    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws IOException {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 11})
    void shouldReplayASkewedFileAndTheSameFileShuffledToTheAlertsOfTheCleanFile(final long seed) throws IOException {
        // given a generated history, the same with five rows dated 2 to 24 hours ahead of their neighbours, and that shuffled
        final Path clean = dir.resolve("clean-" + seed + ".txt");
        new HistoryGenerator(new GeneratorSettings(seed, 12_000, LocalDate.of(2019, 1, 7), 28, CohortsCsv.bundled(), ZoneId.of("America/Chicago")))
                .write(clean, dir.resolve("labels-" + seed + ".jsonl"));
        final List<String> lines = Files.readAllLines(clean);
        final Random random = new Random(seed);
        final List<String> skewedLines = withRowsAhead(lines, random);
        final Path skewed = dir.resolve("skewed-" + seed + ".txt");
        Files.write(skewed, skewedLines);
        final List<String> shuffledLines = new ArrayList<>(skewedLines);
        Collections.shuffle(shuffledLines, random);
        final Path shuffled = dir.resolve("shuffled-" + seed + ".txt");
        Files.write(shuffled, shuffledLines);

        // when each is replayed (sorted by the replay), and the skewed file in its own order too
        final CommandRun cleanRun = replay("clean-" + seed, clean, "--alerts-out", dir.resolve("clean-" + seed + ".jsonl").toString());
        final CommandRun skewedRun = replay("skewed-" + seed, skewed, "--alerts-out", dir.resolve("skewed-" + seed + ".jsonl").toString());
        final CommandRun shuffledRun = replay("shuffled-" + seed, shuffled, "--alerts-out", dir.resolve("shuffled-" + seed + ".jsonl").toString());
        // (in file order, rows of the same second come in the generator's order, not the sort's: compare with the clean file so)
        final CommandRun cleanAsIsRun = replay("clean-as-is-" + seed, clean, "--assume-sorted", "--alerts-out",
                dir.resolve("clean-as-is-" + seed + ".jsonl").toString());
        final CommandRun asIsRun = replay("as-is-" + seed, skewed, "--assume-sorted", "--alerts-out", dir.resolve("as-is-" + seed + ".jsonl").toString());

        // then no row is dead-lettered as late, and the alerts are the clean file's, byte for byte
        for (final CommandRun run : List.of(cleanRun, skewedRun, shuffledRun, cleanAsIsRun, asIsRun)) {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).doesNotContain(" late ");
        }
        assertThat(Files.readAllLines(dir.resolve("clean-" + seed + ".jsonl"))).hasSizeGreaterThan(5);
        assertSameAlerts(dir.resolve("skewed-" + seed + ".jsonl"), dir.resolve("clean-" + seed + ".jsonl"));
        assertSameAlerts(dir.resolve("shuffled-" + seed + ".jsonl"), dir.resolve("clean-" + seed + ".jsonl"));
        assertSameAlerts(dir.resolve("as-is-" + seed + ".jsonl"), dir.resolve("clean-as-is-" + seed + ".jsonl"));
        // and the sorted replays processed every row; in file order, only rows ahead can be dead-lettered, as clock-skew (a row
        // dated into the quiet hours before the next rows that others then agree on is released with them instead)
        assertThat(skewedRun.out()).contains(String.format("rows processed    %,d of %,d produced (dead-lettered 0",
                lines.size() + 5, lines.size() + 5));
        assertThat(shuffledRun.err()).contains("sorting the rows by event time");
        final Matcher deadLettered = Pattern.compile("\\(dead-lettered (\\d+): clock-skew (\\d+);").matcher(asIsRun.out());
        assertThat(deadLettered.find()).as(asIsRun.out()).isTrue();
        assertThat(deadLettered.group(1)).isEqualTo(deadLettered.group(2));
        assertThat(Integer.parseInt(deadLettered.group(1))).isBetween(1, 5);
    }

    @Test
    void shouldListEveryLineNotProcessedWithItsNumberAndAccountForEveryLineRead() throws IOException {
        // given a history with CRLF line ends, an IPv6 address, nan and 8 as cohorts, an exact duplicate line, a path with a
        // byte that is not UTF-8, a blank line, bad lines of several kinds, and an address the detector rejects
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> valid = List.of(
                "2019-03-04 10:00:00 javascript-i/functions 341 29.0 204.44.112.76",
                "2019-03-04 10:00:01 javascript-i/arrays 341 8 2001:db8::1",
                "2019-03-04 10:00:02 javascript-i/loops 342 nan 204.44.112.77",
                "2019-03-04 10:00:02 javascript-i/loops 342 nan 204.44.112.77");
        for (final String line : valid) {
            bytes.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes("2019-03-04 10:00:03 java-ii/caf".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xe9); // Latin-1 é: not UTF-8
        bytes.writeBytes(" 343 29 204.44.112.78\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("2019-03-04 10:00:04 only four fields\n".getBytes(StandardCharsets.UTF_8)); // line 7
        bytes.writeBytes("2019-13-04 10:00:05 java-ii/x 341 29 204.44.112.76\n".getBytes(StandardCharsets.UTF_8)); // line 8
        bytes.writeBytes("2019-03-04 10:00:06 java-ii/x bob 29 204.44.112.76\n".getBytes(StandardCharsets.UTF_8)); // line 9
        bytes.writeBytes("2019-03-04 10:00:07 java-ii/x 341 8.5 204.44.112.76\n".getBytes(StandardCharsets.UTF_8)); // line 10
        bytes.writeBytes("2019-03-04 10:00:08 java-ii/x 341 29 97.105.19.610\n".getBytes(StandardCharsets.UTF_8)); // line 11
        bytes.writeBytes("garbage \\ with a tab\there".getBytes(StandardCharsets.UTF_8)); // line 12, no line end
        final Path file = dir.resolve("mixed.txt");
        Files.write(file, bytes.toByteArray());
        final Path rejects = dir.resolve("rejects.jsonl");

        // when it is replayed with --rejects-out
        final CommandRun run = replay("mixed", file, "--rejects-out", rejects.toString());

        // then each bad line is listed with its number, stage, reason and original bytes, the bad address too
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final List<JsonNode> listed = new ArrayList<>();
        for (final String line : Files.readAllLines(rejects)) {
            listed.add(JsonSerde.MAPPER.readTree(line));
        }
        assertThat(listed).extracting(n -> n.path("line").asLong() + " " + n.path("stage").asText() + " " + n.path("reason").asText())
                .containsExactly("7 read fields", "8 read date", "9 read user-id", "10 read cohort-id", "12 read fields", "11 detector invalid-ip");
        assertThat(listed.get(4).path("original").asText()).isEqualTo("garbage \\\\ with a tab\there");
        assertThat(listed.get(5).path("original").asText()).isEqualTo("2019-03-04 10:00:08 java-ii/x 341 29 97.105.19.610");
        assertThat(listed.get(5).path("detail").asText()).contains("97.105.19.610");

        // and processed + rejected + dead-lettered (+ the blank line) = lines read
        final Matcher every = EVERY_LINE.matcher(run.out());
        assertThat(every.find()).as(run.out()).isTrue();
        assertThat(List.of(every.group(1), every.group(2), every.group(3), every.group(4), every.group(5)))
                .containsExactly("12", "5", "5", "1", "1");
        assertThat(run.out()).contains("5 rejected (cohort-id 1, date 1, fields 2, user-id 1)")
                .contains("rejects written to " + rejects + " (6 lines");
    }

    private static void assertSameAlerts(final Path actual, final Path expected) throws IOException {
        assertThat(Files.readAllLines(actual)).as(actual.toString()).containsExactlyElementsOf(Files.readAllLines(expected));
        assertThat(Files.readAllBytes(actual)).as(actual.toString()).isEqualTo(Files.readAllBytes(expected));
    }

    /** The lines with five rows inserted, spread over the first four fifths, each dated as a row 2 to 24 hours later. */
    private static List<String> withRowsAhead(final List<String> lines, final Random random) {
        final List<String> out = new ArrayList<>(lines);
        for (int k = 5; k >= 1; k--) {
            final int at = lines.size() * k * 4 / 25;
            final LocalDateTime time = time(lines.get(at));
            int later = at;
            while (later + 1 < lines.size() && Duration.between(time, time(lines.get(later + 1))).toHours() < 24) {
                later++;
            }
            final List<Integer> candidates = new ArrayList<>();
            for (int j = at; j <= later; j++) {
                if (Duration.between(time, time(lines.get(j))).toHours() >= 2) {
                    candidates.add(j);
                }
            }
            final LocalDateTime ahead = candidates.isEmpty() ? time.plusHours(2) : time(lines.get(candidates.get(random.nextInt(candidates.size()))));
            // the home page, no user, a fresh address: a real access that no rule counts, dated ahead
            out.add(at, LOCAL.format(ahead) + " / NaN NaN 10.250.0." + k);
        }
        return out;
    }

    private static LocalDateTime time(final String line) {
        final String[] fields = line.split(" ", 3);
        return LocalDateTime.parse(fields[0] + "T" + fields[1]);
    }

    private static CommandRun replay(final String id, final Path file, final String... more) {
        final List<String> args = new ArrayList<>(List.of("replay", file.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--replay-id", id, "--state-dir", dir.resolve("state-" + id).toString(), "--work-dir", dir.resolve("work-" + id).toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }
}
