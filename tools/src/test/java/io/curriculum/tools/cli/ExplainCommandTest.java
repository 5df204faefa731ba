package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.ActivityState;
import io.curriculum.detector.detect.Episode;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.Lessons;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.detect.Signal;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.explain.MachineSpeedExplanation;
import io.curriculum.tools.explain.ScalePeak;
import io.curriculum.tools.generate.AnomalyKind;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.generate.Label;
import io.curriculum.tools.generate.Labels;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.history.EventTimeSort;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code detector explain} on a generated history (40,000 rows over 60 days, seed 7) with its labels: a labelled burst
 * scraper is explained as a burst that FIRED, with the evidence the detector's rules raise when the file is run through
 * them here, independently (the same way {@code DetectorRulesOnGeneratedHistoryIT} runs them); a hard negative as
 * nothing fired, with how close each scale came; an alert by its id; bad inputs as usage errors (exit 2) with the message.
 */
@Timeout(60)
class ExplainCommandTest {

    private static final DetectorConfig CONFIG = DetectorConfig.defaults();
    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");

    @TempDir
    static Path dir;

    private static Path history;
    private static List<Label> labels;

    /** The evidence of an episode when it opened and when it closed, copied at once (the rules go on changing the episode). */
    record Evidence(long detectedAt, long openStart, long openEnd, int openPages, long keyTime, long start, long end, long requests, int pages) {
    }

    @BeforeAll
    static void generate() throws IOException {
        history = dir.resolve("h.txt");
        final GeneratorSettings settings = new GeneratorSettings(7, 40_000, LocalDate.of(2019, 1, 7), 60, CohortsCsv.bundled(), CAMPUS);
        new HistoryGenerator(settings).write(history, dir.resolve("h.labels.jsonl"));
        labels = Labels.read(dir.resolve("h.labels.jsonl"));
    }

    @Test
    void shouldSayBurstFiredForALabelledBurstScraperWithTheEvidenceTheRulesRaise() throws IOException {
        // given
        final Label scraper = label(AnomalyKind.BURST_SCRAPER);
        final Evidence expected = rulesOnAddress(scraper.ip());

        // when
        final CommandRun text = CommandRun.of("explain", history.toString(), "--ip", scraper.ip());
        final MachineSpeedExplanation json = json("explain", history.toString(), "--ip", scraper.ip());

        // then
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("explain ip " + scraper.ip(), "burst 20s (30 pages, 10 per user): FIRED (burst|ip|" + scraper.ip() + "|");
        final ScalePeak burst20s = json.scopes().get(0).peaks().get(0);
        assertThat(json.scopes().get(0).scope()).isEqualTo("ip");
        assertThat(burst20s.verdict()).isEqualTo(ScalePeak.FIRED);
        assertThat(burst20s.busiest().closeness()).isGreaterThanOrEqualTo(1);
        final MachineSpeedExplanation.RaisedAlert alert = json.alerts().stream()
                .filter(a -> a.latest().scope().equals("ip") && a.latest().rule().equals("burst")).findFirst().orElseThrow();
        assertThat(alert.latest().alertId()).isEqualTo("burst|ip|" + scraper.ip() + "|" + Instant.ofEpochMilli(expected.keyTime()));
        assertThat(alert.opened().detectedAt()).isEqualTo(Instant.ofEpochMilli(expected.detectedAt()));
        assertThat(alert.opened().windowStart()).isEqualTo(Instant.ofEpochMilli(expected.openStart()));
        assertThat(alert.opened().windowEnd()).isEqualTo(Instant.ofEpochMilli(expected.openEnd()));
        assertThat(alert.opened().distinctPages()).isEqualTo(expected.openPages());
        assertThat(alert.latest().status()).isEqualTo("closed");
        assertThat(alert.latest().windowStart()).isEqualTo(Instant.ofEpochMilli(expected.start()));
        assertThat(alert.latest().windowEnd()).isEqualTo(Instant.ofEpochMilli(expected.end()));
        assertThat(alert.latest().requests()).isEqualTo(expected.requests());
        assertThat(alert.latest().distinctPages()).isEqualTo(expected.pages());
        assertThat(burst20s.busiest().distinctPages()).isGreaterThanOrEqualTo(expected.openPages());
    }

    @ParameterizedTest
    @EnumSource(value = AnomalyKind.class, names = {"NAT_CLASSROOM", "FAST_HUMAN"})
    void shouldSayNothingFiredForAHardNegativeAndHowCloseItCame(final AnomalyKind kind) throws IOException {
        // given
        final Label negative = label(kind);
        final String from = negative.from().toString();
        final String to = negative.to().toString();

        // when
        final CommandRun text = CommandRun.of("explain", history.toString(), "--ip", negative.ip(), "--from", from, "--to", to);
        final MachineSpeedExplanation json = json("explain", history.toString(), "--ip", negative.ip(), "--from", from, "--to", to);

        // then
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("alerts raised: 0 (nothing fired)", "not reached: ", "% of the threshold, held back by ");
        assertThat(json.alerts()).isEmpty();
        assertThat(json.requestsInRange()).isEqualTo(json.requests().size() + json.requestsLeftOut()).isGreaterThanOrEqualTo(negative.rows());
        final List<ScalePeak> bursts = json.scopes().stream().flatMap(s -> s.peaks().stream()).filter(p -> p.rule().equals("burst")).toList();
        assertThat(bursts).hasSize(6).allSatisfy(peak -> {
            assertThat(peak.verdict()).isEqualTo(ScalePeak.NOT_REACHED);
            assertThat(peak.closest().closeness()).isGreaterThan(0).isLessThan(1);
            assertThat(peak.busiest().distinctPages()).isPositive();
        });
    }

    @Test
    void shouldExplainAClientAlertByItsId() throws IOException {
        // given
        final Label scraper = label(AnomalyKind.NAT_SCRAPER);
        final String id = json("explain", history.toString(), "--ip", scraper.ip()).alerts().stream().map(a -> a.latest().alertId())
                .filter(a -> a.startsWith("burst|client|" + scraper.ip() + "|" + scraper.userId() + "|")).findFirst().orElseThrow();

        // when
        final CommandRun text = CommandRun.of("explain", history.toString(), "--alert", id, "--max-requests", "5");
        final MachineSpeedExplanation json = json("explain", history.toString(), "--alert", id);

        // then
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("explain " + id, "scope client (1 key)", ": FIRED (" + id + ")", "more requests left out");
        assertThat(json.scopes()).extracting(MachineSpeedExplanation.ScopePeaks::scope).containsExactly("client");
        assertThat(json.alerts()).extracting(a -> a.latest().alertId()).containsExactly(id);
        assertThat(json.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.ip()).isEqualTo(scraper.ip());
            assertThat(r.userId()).isEqualTo(scraper.userId().longValue());
        });
        // the episode and the longest window (3 h) around it
        assertThat(json.from()).isEqualTo(json.alerts().get(0).latest().windowStart().minusSeconds(3 * 3600));
        assertThat(json.to()).isEqualTo(json.alerts().get(0).latest().windowEnd().plusSeconds(3 * 3600));
    }

    @Test
    void shouldRefuseBadInputsWithExitTwoAndAMessage() {
        // when
        final CommandRun unknownFormat = CommandRun.of("explain", history.toString(), "--alert", "scraper-42");
        final CommandRun bandAlert = CommandRun.of("explain", history.toString(), "--alert", "band-spike|2|java-ii/arrays|2019-03-04T06:00:00Z");
        final CommandRun notRaised = CommandRun.of("explain", history.toString(), "--alert", "burst|ip|203.0.113.9|2019-03-04T16:12:00Z");
        final CommandRun noRows = CommandRun.of("explain", history.toString(), "--ip", "203.0.113.9");
        final CommandRun noRowsInRange = CommandRun.of("explain", history.toString(), "--ip", label(AnomalyKind.BURST_SCRAPER).ip(),
                "--from", "2019-01-07", "--to", "2019-01-08");
        final CommandRun missingFile = CommandRun.of("explain", dir.resolve("missing.txt").toString(), "--ip", "203.0.113.9");
        final CommandRun badTime = CommandRun.of("explain", history.toString(), "--ip", "203.0.113.9", "--from", "last tuesday");
        final CommandRun badAddress = CommandRun.of("explain", history.toString(), "--ip", "not-an-ip");
        final CommandRun twoTargets = CommandRun.of("explain", history.toString(), "--ip", "203.0.113.9", "--user", "4");

        // then
        assertThat(List.of(unknownFormat, bandAlert, notRaised, noRows, noRowsInRange, missingFile, badTime, badAddress, twoTargets))
                .allSatisfy(run -> assertThat(run.exitCode()).as(run.toString()).isEqualTo(2));
        assertThat(unknownFormat.err()).contains("unknown alert id format 'scraper-42'", "burst|<scope>|<key>|<time>");
        assertThat(bandAlert.err()).contains("is a lesson-band alert", "replay FILE --report");
        assertThat(notRaised.err()).contains("the rules raise no alert burst|ip|203.0.113.9|2019-03-04T16:12:00Z", "none");
        assertThat(noRows.err()).contains("no request from 203.0.113.9 in " + history + " at all");
        assertThat(noRowsInRange.err()).contains("no request from " + label(AnomalyKind.BURST_SCRAPER).ip() + " in " + history
                + " between 2019-01-07 00:00:00 and 2019-01-08 23:59:59", "requests lie between");
        assertThat(missingFile.err()).contains("missing.txt does not exist");
        assertThat(badTime.err()).contains("--from 'last tuesday' is no time");
        assertThat(badAddress.err()).contains("'not-an-ip' is not an IPv4 or IPv6 address");
        assertThat(twoTargets.err()).contains("mutually exclusive");
    }

    @Test
    void shouldDescribeItselfInHelp() {
        // when
        final CommandRun help = CommandRun.of("explain", "--help");
        final CommandRun top = CommandRun.of("--help");

        // then
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--ip=ADDRESS", "--user=N", "--alert=ALERT_ID", "--from=TIME", "--json", "FIRED");
        assertThat(top.out()).contains("explain");
    }

    private static Label label(final AnomalyKind kind) {
        return labels.stream().filter(l -> l.kind() == kind).findFirst().orElseThrow();
    }

    private static MachineSpeedExplanation json(final String... args) throws IOException {
        final List<String> withJson = new ArrayList<>(List.of(args));
        withJson.add("--json");
        final CommandRun run = CommandRun.of(withJson.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JsonSerde.MAPPER.readValue(run.out(), MachineSpeedExplanation.class);
    }

    /** The first burst episode of the address at scope ip, by the rules alone: every lesson row of the address, in event time. */
    private static Evidence rulesOnAddress(final String ip) {
        final MachineSpeedRules rules = new MachineSpeedRules(CONFIG.burst(), CONFIG.crawl(), CONFIG.grace());
        final ActivityState state = new ActivityState();
        long[] opened = null;
        Evidence closed = null;
        try (HistoryReader reader = HistoryReader.open(history, bad -> { });
             EventTimeSort rows = EventTimeSort.of(reader, CAMPUS, dir, EventTimeSort.CHUNK_ROWS)) {
            while (rows.hasNext() && closed == null) {
                final EventTimeSort.Timed timed = rows.next();
                final HistoryRow row = timed.row();
                final String lesson = Lessons.normalize(row.path());
                if (!row.ip().equals(ip) || lesson == null) {
                    continue;
                }
                final Hit hit = new Hit(timed.time(), lesson, row.ip(), row.userId(), row.cohortId(), "student");
                for (final Signal signal : rules.onHit(state, hit, Scope.IP)) {
                    final Episode e = signal.episode();
                    if (signal.open() && opened == null) {
                        opened = new long[] {e.detectedAt(), e.start(), e.end(), e.distinctPages()};
                    } else if (!signal.open() && opened != null) {
                        closed = new Evidence(opened[0], opened[1], opened[2], (int) opened[3], e.keyTime(), e.start(), e.end(), e.requests(), e.distinctPages());
                    }
                }
            }
        }
        if (closed == null && opened != null) {
            for (final Signal signal : rules.onIdle(state, Long.MAX_VALUE / 2)) {
                final Episode e = signal.episode();
                closed = new Evidence(opened[0], opened[1], opened[2], (int) opened[3], e.keyTime(), e.start(), e.end(), e.requests(), e.distinctPages());
            }
        }
        assertThat(closed).as("a burst episode of " + ip + " by the rules").isNotNull();
        return closed;
    }
}
