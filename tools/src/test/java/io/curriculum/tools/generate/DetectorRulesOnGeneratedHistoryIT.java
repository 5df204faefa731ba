package io.curriculum.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.ActivityState;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.detect.Signal;
import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The labels hold against the detector's own rules with default settings, on generated histories of several seeds
 * (each class's pace, duration and number of addresses drawn per seed): a file replayed through
 * {@link MachineSpeedRules} under the topology's three scopes (per IP, per user on an IP, per user on every IP) and
 * through {@link BandRule} (per program and lesson), in event time, without Kafka. Every scraper and crawler alerts at
 * its labelled scope; no hard negative is flagged at any scope; nothing else trips machine speed.
 */
class DetectorRulesOnGeneratedHistoryIT {

    private static final DetectorConfig CONFIG = DetectorConfig.defaults();
    private static final Set<AnomalyKind> HARD_NEGATIVES = Set.of(AnomalyKind.NAT_CLASSROOM, AnomalyKind.FAST_HUMAN,
            AnomalyKind.PAGE_WITH_ASSETS, AnomalyKind.STAFF_REVIEW, AnomalyKind.HEAVY_READER, AnomalyKind.SHARED_HOME);
    private static final Map<Long, Replayed> REPLAYS = new ConcurrentHashMap<>();

    @TempDir
    static Path dir;

    /** A machine-speed episode that opened: rule, scope, key ({@code ip}, {@code user@ip} or {@code user}) and when. */
    record Opened(String rule, String scope, String key, long time) {
    }

    record Replayed(List<Label> labels, List<Opened> opened, List<BandReplay.Band> bands) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {23, 7, 2026, 4242, 99})
    void shouldAlertOnEveryInjectedScraperAndCrawlerAtItsScope(final long seed) {
        // given
        final Replayed replayed = replay(seed);
        final List<Label> positives = replayed.labels().stream().filter(l -> l.expectsAlert() && l.scope() != null).toList();

        // then
        assertThat(positives).extracting(Label::kind).contains(AnomalyKind.BURST_SCRAPER, AnomalyKind.NAT_SCRAPER, AnomalyKind.SLOW_CRAWLER,
                AnomalyKind.SLOW_BURST, AnomalyKind.ROTATING_SCRAPER, AnomalyKind.LONG_CRAWLER);
        for (final Label label : positives) {
            assertThat(replayed.opened()).as(label.id()).anyMatch(o -> o.rule().equals(label.rule()) && o.scope().equals(label.scope())
                    && o.key().equals(key(label.scope(), label)) && within(o, label));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {23, 7, 2026, 4242, 99})
    void shouldFlagNoHardNegativeAtAnyScope(final long seed) {
        // given
        final Replayed replayed = replay(seed);
        final List<Label> negatives = replayed.labels().stream().filter(l -> HARD_NEGATIVES.contains(l.kind())).toList();

        // then
        assertThat(negatives).extracting(Label::kind).containsAll(HARD_NEGATIVES);
        for (final Label label : negatives) {
            assertThat(replayed.opened()).as(label.id()).noneMatch(o -> names(o, label) && within(o, label) && !explained(o, replayed.labels()));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {23, 7, 2026, 4242, 99})
    void shouldOpenMachineSpeedEpisodesOnlyForLabelledPositives(final long seed) {
        // given
        final Replayed replayed = replay(seed);

        // then
        assertThat(replayed.opened()).isNotEmpty().allSatisfy(o -> assertThat(explained(o, replayed.labels())).as("episode %s", o).isTrue());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {23, 7, 2026, 4242, 99})
    void shouldAlertOnEveryBandLabel(final long seed) {
        // given
        final Replayed replayed = replay(seed);
        final List<Label> bandLabels = replayed.labels().stream()
                .filter(l -> l.kind() == AnomalyKind.LESSON_SPIKE || l.kind() == AnomalyKind.LESSON_DROP).toList();

        // then
        assertThat(bandLabels).isNotEmpty();
        for (final Label label : bandLabels) {
            assertThat(replayed.bands()).as(label.id()).anyMatch(b -> b.rule().equals(label.rule())
                    && b.series().equals(label.programId() + "|" + label.lesson()) && b.since().equals(label.from()));
        }
    }

    /** Found / injected per machine-speed class and the false alarms, per seed: the figures the README states. */
    @AfterAll
    static void printFigures() {
        REPLAYS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            final Replayed replayed = entry.getValue();
            final Map<AnomalyKind, int[]> perKind = new EnumMap<>(AnomalyKind.class);
            for (final Label label : replayed.labels()) {
                if (label.scope() == null) {
                    continue;
                }
                final boolean flagged = label.expectsAlert()
                        ? replayed.opened().stream().anyMatch(o -> o.rule().equals(label.rule()) && o.scope().equals(label.scope())
                                && o.key().equals(key(label.scope(), label)) && within(o, label))
                        : replayed.opened().stream().anyMatch(o -> names(o, label) && within(o, label) && !explained(o, replayed.labels()));
                final int[] counts = perKind.computeIfAbsent(label.kind(), k -> new int[2]);
                counts[0] += flagged ? 1 : 0;
                counts[1]++;
            }
            final long falseAlarms = replayed.opened().stream().filter(o -> !explained(o, replayed.labels())).count();
            final StringBuilder line = new StringBuilder("seed " + entry.getKey() + ":");
            perKind.forEach((kind, counts) -> line.append(' ').append(kind.label()).append(' ').append(counts[0]).append('/').append(counts[1]));
            System.out.println(line.append(" (flagged/injected); episodes opened ").append(replayed.opened().size())
                    .append(", unexplained ").append(falseAlarms));
        });
    }

    private static Replayed replay(final long seed) {
        return REPLAYS.computeIfAbsent(seed, s -> {
            try {
                return generateAndReplay(s);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Replayed generateAndReplay(final long seed) throws IOException {
        final Path seedDir = Files.createDirectories(dir.resolve("seed-" + seed));
        final GeneratorSettings settings = new GeneratorSettings(seed, 120_000, LocalDate.of(2019, 2, 4), 135,
                CohortsCsv.bundled(), ZoneId.of("America/Chicago"));
        new HistoryGenerator(settings).write(seedDir.resolve("h.txt"), seedDir.resolve("h.labels.jsonl"));
        final List<Label> labels = Labels.read(seedDir.resolve("h.labels.jsonl"));
        final GeneratedHistory history = GeneratedHistory.read(seedDir.resolve("h.txt"));

        final MachineSpeedRules rules = new MachineSpeedRules(CONFIG.burst(), CONFIG.crawl(), CONFIG.grace());
        final Map<String, ActivityState> ips = new HashMap<>();
        final Map<String, ActivityState> clients = new HashMap<>();
        final Map<String, ActivityState> users = new HashMap<>();
        final List<Opened> opened = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        for (final GeneratedHistory.Request r : history.requests()) {
            final long millis = r.time() * 1000;
            watermark = Math.max(watermark, millis);
            if (r.lesson() == null) {
                continue;
            }
            final Hit hit = new Hit(millis, r.lesson(), r.ip(), r.userId(), r.cohortId(), "student");
            final String client = r.userId() + "@" + r.ip();
            final String user = Long.toString(r.userId());
            record(opened, rules.onHit(ips.computeIfAbsent(r.ip(), k -> new ActivityState()), hit, Scope.IP), "ip", r.ip(), millis);
            record(opened, rules.onHit(clients.computeIfAbsent(client, k -> new ActivityState()), hit, Scope.CLIENT), "client", client, millis);
            record(opened, rules.onHit(users.computeIfAbsent(user, k -> new ActivityState()), hit, Scope.USER), "user", user, millis);
        }
        return new Replayed(labels, opened, BandReplay.of(history, CONFIG));
    }

    /** The key a label names at a scope: its address, its user on its address, or its user. */
    private static String key(final String scope, final Label label) {
        return switch (scope) {
            case "ip" -> label.ip();
            case "client" -> label.userId() + "@" + label.ip();
            default -> String.valueOf(label.userId());
        };
    }

    /** Whether the episode is about the label's address or user, at any scope. */
    private static boolean names(final Opened o, final Label label) {
        return switch (o.scope()) {
            case "ip" -> o.key().equals(label.ip());
            case "client" -> label.ip() != null && o.key().endsWith("@" + label.ip())
                    && (label.userId() == null || o.key().equals(label.userId() + "@" + label.ip()));
            default -> label.userId() != null && o.key().equals(String.valueOf(label.userId()));
        };
    }

    /** Opened while the label's requests ran. */
    private static boolean within(final Opened o, final Label label) {
        return o.time() >= label.from().toEpochMilli() && o.time() <= label.to().toEpochMilli();
    }

    /**
     * The episode is one of an injected scraper or crawler: it names a positive label's address or user while it ran, or
     * within the longest pace window after (that window still holds the injected requests, with the person's own reading).
     */
    private static boolean explained(final Opened o, final List<Label> labels) {
        final long longest = CONFIG.crawl().scales().stream().mapToLong(s -> s.window().toMillis()).max().orElse(0);
        return labels.stream().anyMatch(l -> l.expectsAlert() && l.scope() != null && names(o, l)
                && o.time() >= l.from().toEpochMilli() && o.time() <= l.to().toEpochMilli() + longest);
    }

    private static void record(final List<Opened> opened, final List<Signal> signals, final String scope, final String key, final long time) {
        for (final Signal s : signals) {
            if (s.open()) {
                opened.add(new Opened(s.rule().label(), scope, key, time));
            }
        }
    }
}
