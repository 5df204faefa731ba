package io.curriculum.app.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.app.history.CohortsCsv;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.ActivityState;
import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandSeries;
import io.curriculum.detector.detect.BandSignal;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Signal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labels hold against the detector's own rules with default settings: a generated file replayed through
 * {@link MachineSpeedRules} (per IP, and per user on an IP) and {@link BandRule} (per program and lesson), in
 * event time, without Kafka. Positives alert; hard negatives and all other traffic do not trip machine speed.
 */
class DetectorRulesOnGeneratedHistoryTest {

    private static final DetectorConfig CONFIG = DetectorConfig.defaults();

    @TempDir
    static Path dir;

    private static List<Label> labels;
    private static final List<Opened> opened = new ArrayList<>();
    private static final List<Band> bands = new ArrayList<>();

    /** A machine-speed episode that opened: rule, scope, key ({@code ip} or {@code user@ip}) and when. */
    record Opened(String rule, String scope, String key, long time) {
    }

    /** A band breach: rule, series ({@code program|lesson}) and window start. */
    record Band(String rule, String series, Instant windowStart) {
    }

    @BeforeAll
    static void replay() throws IOException {
        final GeneratorSettings settings = new GeneratorSettings(23, 80_000, LocalDate.of(2019, 2, 4), 63,
                CohortsCsv.bundled(), ZoneId.of("America/Chicago"));
        new HistoryGenerator(settings).write(dir.resolve("h.txt"), dir.resolve("h.labels.jsonl"));
        labels = Labels.read(dir.resolve("h.labels.jsonl"));
        final GeneratedHistory history = GeneratedHistory.read(dir.resolve("h.txt"));

        final MachineSpeedRules rules = new MachineSpeedRules(CONFIG.burst(), CONFIG.crawl(), CONFIG.grace());
        final BandRule bandRule = new BandRule(CONFIG.band(), CONFIG.campusZone(), CONFIG.grace());
        final Map<String, ActivityState> ips = new HashMap<>();
        final Map<String, ActivityState> clients = new HashMap<>();
        final Map<String, BandSeries> series = new HashMap<>();
        long watermark = Long.MIN_VALUE;
        for (final GeneratedHistory.Request r : history.requests()) {
            final long millis = r.time() * 1000;
            watermark = Math.max(watermark, millis);
            if (r.lesson() == null) {
                continue;
            }
            final Hit hit = new Hit(millis, r.lesson(), r.userId(), r.cohortId(), "student");
            record(rules.onHit(ips.computeIfAbsent(r.ip(), k -> new ActivityState()), hit, watermark, false), "ip", r.ip(), millis);
            final String client = r.userId() + "@" + r.ip();
            record(rules.onHit(clients.computeIfAbsent(client, k -> new ActivityState()), hit, watermark, true), "client", client, millis);
            for (final String key : List.of(r.programId() + "|" + r.lesson(), r.programId() + "|*")) {
                final List<BandSignal> signals = bandRule.onAccess(series.computeIfAbsent(key, k -> bandRule.newSeries()), millis, watermark);
                record(bandRule, key, signals);
            }
        }
        for (final Map.Entry<String, BandSeries> e : series.entrySet()) {
            record(bandRule, e.getKey(), bandRule.closeUpTo(e.getValue(), bandRule.lastClosable(watermark + 86_400_000L * 2)));
        }
    }

    @Test
    void shouldAlertOnEveryPositiveMachineSpeedLabelWhenReplayed() {
        for (final Label label : labels) {
            if (!label.expectsAlert() || label.scope() == null) {
                continue;
            }
            final String key = label.scope().equals("ip") ? label.ip() : label.userId() + "@" + label.ip();
            assertThat(opened).as(label.id())
                    .anyMatch(o -> o.rule().equals(label.rule()) && o.scope().equals(label.scope()) && o.key().equals(key)
                            && o.time() >= label.from().toEpochMilli() && o.time() <= label.to().toEpochMilli());
        }
    }

    @Test
    void shouldAlertOnEveryBandLabelWhenReplayed() {
        final List<Label> bandLabels = labels.stream()
                .filter(l -> l.kind() == AnomalyKind.LESSON_SPIKE || l.kind() == AnomalyKind.LESSON_DROP).toList();
        assertThat(bandLabels).isNotEmpty();
        for (final Label label : bandLabels) {
            assertThat(bands).as(label.id())
                    .contains(new Band(label.rule(), label.programId() + "|" + label.lesson(), label.from()));
        }
    }

    @Test
    void shouldOpenMachineSpeedEpisodesOnlyForLabelledPositivesWhenReplayed() {
        // given
        final List<Label> positives = labels.stream().filter(l -> l.expectsAlert() && l.scope() != null).toList();

        // then
        assertThat(opened).isNotEmpty().allSatisfy(o -> assertThat(positives).as("episode %s", o).anyMatch(l ->
                (o.key().equals(l.ip()) || o.key().equals(l.userId() + "@" + l.ip()))
                        && o.time() >= l.from().toEpochMilli() && o.time() <= l.to().toEpochMilli()));
        final Set<AnomalyKind> negatives = Set.of(AnomalyKind.NAT_CLASSROOM, AnomalyKind.FAST_HUMAN, AnomalyKind.PAGE_WITH_ASSETS);
        assertThat(labels.stream().filter(l -> negatives.contains(l.kind())).count()).isGreaterThanOrEqualTo(3);
    }

    private static void record(final List<Signal> signals, final String scope, final String key, final long time) {
        for (final Signal s : signals) {
            if (s.open()) {
                opened.add(new Opened(s.rule().label(), scope, key, time));
            }
        }
    }

    private static void record(final BandRule rule, final String series, final List<BandSignal> signals) {
        if (signals == null) {
            return;
        }
        for (final BandSignal s : signals) {
            bands.add(new Band(s.spike() ? "band-spike" : "band-drop", series, rule.windowStart(s.windowIndex())));
        }
    }
}
