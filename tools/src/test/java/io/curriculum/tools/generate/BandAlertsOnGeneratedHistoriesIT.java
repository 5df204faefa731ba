package io.curriculum.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.CampusCalendar;
import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lesson bands with default settings on generated three-year histories of several seeds (900,000 rows each, spikes of 4
 * to 9 times a lesson's usual count, drops to zero of one to four class days, campus holidays at 5% to 35% of the usual
 * traffic, all drawn per seed), through the lesson-band code the topology runs ({@link BandReplay}): every injected spike
 * and drop is found (a drop episode as one alert covering every one of its days), no band alert is dated on a calendar
 * holiday, and the alerts beyond the injected anomalies stay rare.
 */
class BandAlertsOnGeneratedHistoriesIT {

    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");
    private static final LocalDate START = LocalDate.of(2018, 6, 4);
    private static final int DAYS = 1095;
    private static final long ROWS = 900_000;
    /** Band alerts beyond the injected anomalies, per program and year of history, that the defaults may raise. */
    private static final double EXTRA_ALERTS_PER_PROGRAM_YEAR = 3;
    private static final Map<Long, Run> RUNS = new ConcurrentHashMap<>();

    @TempDir
    static Path dir;

    record Run(List<Label> labels, GeneratedHistory history, List<BandReplay.Band> bands) {

        /** The first record of every alert. */
        List<BandReplay.Band> alerts() {
            return bands.stream().filter(BandReplay.Band::first).toList();
        }

        List<Label> positives() {
            return labels.stream().filter(l -> l.kind() == AnomalyKind.LESSON_SPIKE || l.kind() == AnomalyKind.LESSON_DROP).toList();
        }

        /** An alert of an injected anomaly: its series and start, or its program's own series on the anomaly's days. */
        boolean explained(final BandReplay.Band alert) {
            return positives().stream().anyMatch(l -> alert.series().equals(l.programId() + "|" + l.lesson()) && alert.since().equals(l.from())
                    || alert.series().equals(l.programId() + "|*") && !alert.since().isBefore(l.from()) && alert.since().isBefore(l.to()));
        }

        List<BandReplay.Band> extras() {
            return alerts().stream().filter(a -> !explained(a)).toList();
        }

        long programs() {
            return history.requests().stream().filter(r -> r.lesson() != null).map(GeneratedHistory.Request::programId).distinct().count();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 17, 41})
    void shouldFindEveryInjectedSpikeAndDropEpisode(final long seed) {
        // given
        final Run run = run(seed);

        // then
        assertThat(run.positives()).extracting(Label::kind).contains(AnomalyKind.LESSON_SPIKE, AnomalyKind.LESSON_DROP);
        for (final Label label : run.positives()) {
            final String series = label.programId() + "|" + label.lesson();
            final List<BandReplay.Band> records = run.bands().stream()
                    .filter(b -> b.rule().equals(label.rule()) && b.series().equals(series) && b.since().equals(label.from())).toList();
            assertThat(records).as(label.id()).isNotEmpty();
            if (label.kind() == AnomalyKind.LESSON_DROP) {
                // one alert, updated on each of the episode's days
                assertThat(records.stream().mapToInt(BandReplay.Band::episodeWindows).max().orElse(0)).as("%s: %s", label, records)
                        .isEqualTo(classDays(label));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 17, 41})
    void shouldRaiseNoBandAlertOnACalendarHoliday(final long seed) {
        // given
        final Run run = run(seed);
        final CampusCalendar calendar = CampusCalendar.defaults();

        // then
        assertThat(run.labels()).filteredOn(l -> l.kind() == AnomalyKind.CAMPUS_HOLIDAY).hasSizeGreaterThan(30);
        assertThat(run.bands()).noneMatch(b -> calendar.isNonClassDay(b.windowStart().atZone(CAMPUS).toLocalDate()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 17, 41})
    void shouldKeepTheAlertsBeyondTheInjectedAnomaliesRare(final long seed) {
        // given
        final Run run = run(seed);
        final double programYears = run.programs() * DAYS / 365.0;

        // then
        assertThat(run.extras().size() / programYears).as("extra alerts per program-year: %s", run.extras()).isLessThanOrEqualTo(EXTRA_ALERTS_PER_PROGRAM_YEAR);
    }

    @Test
    void shouldSeeTheHolidayDipsAsProgramDropsWhenTheCalendarIsOff() {
        // given the calendar off, on the first seed's history
        final Run run = run(5);
        final Properties props = new Properties();
        props.put("detector.band.holidays", "none");
        final List<BandReplay.Band> bands = BandReplay.of(run.history(), DetectorConfig.from(props, Map.of()));
        final Set<Instant> holidays = run.labels().stream().filter(l -> l.kind() == AnomalyKind.CAMPUS_HOLIDAY).map(Label::from)
                .collect(Collectors.toSet());

        // then the dips are real: programs drop on most weekday holidays, one program-level alert each, not one per lesson
        final List<BandReplay.Band> onHolidays = bands.stream().filter(b -> b.first() && holidays.contains(b.windowStart())).toList();
        assertThat(onHolidays.stream().map(BandReplay.Band::windowStart).distinct().count()).isGreaterThan(holidays.size() / 2);
        assertThat(onHolidays).filteredOn(b -> !b.series().endsWith("|*")).size().isLessThan(onHolidays.size() / 4);
    }

    /** Per seed: anomalies found, extra alerts per program-year, and how many records they came in. */
    @AfterAll
    static void printFigures() {
        RUNS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            final Run run = e.getValue();
            final double programYears = run.programs() * DAYS / 365.0;
            final long found = run.positives().stream().filter(l -> run.alerts().stream().anyMatch(a -> a.rule().equals(l.rule())
                    && a.series().equals(l.programId() + "|" + l.lesson()) && a.since().equals(l.from()))).count();
            System.out.printf("seed %d: %d/%d spikes and drops found, %d alerts, %d beyond the injected (%.1f per program-year, %d programs), "
                            + "%d of them at program level%n", e.getKey(), found, run.positives().size(), run.alerts().size(), run.extras().size(),
                    run.extras().size() / programYears, run.programs(), run.extras().stream().filter(b -> b.series().endsWith("|*")).count());
            if (System.getenv("BAND_EXTRAS") != null) {
                run.extras().forEach(b -> System.out.printf("  %s %s %s %s count %d expected %.1f score %.1f%n", b.rule(), b.series(),
                        b.windowStart().atZone(CAMPUS).toLocalDate(), b.windowStart().atZone(CAMPUS).getDayOfWeek(), b.count(), b.expected(), b.score()));
            }
        });
    }

    private static int classDays(final Label label) {
        return (int) Duration.between(label.from(), label.to()).plusHours(12).toDays();
    }

    private static Run run(final long seed) {
        return RUNS.computeIfAbsent(seed, s -> {
            try {
                final Path seedDir = Files.createDirectories(dir.resolve("seed-" + s));
                final GeneratorSettings settings = new GeneratorSettings(s, ROWS, START, DAYS, CohortsCsv.bundled(), CAMPUS);
                new HistoryGenerator(settings).write(seedDir.resolve("h.txt"), seedDir.resolve("h.labels.jsonl"));
                final GeneratedHistory history = GeneratedHistory.read(seedDir.resolve("h.txt"));
                return new Run(Labels.read(seedDir.resolve("h.labels.jsonl")), history, BandReplay.of(history, DetectorConfig.defaults()));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
