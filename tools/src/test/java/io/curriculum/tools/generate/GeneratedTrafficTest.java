package io.curriculum.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One generated file (100,000 rows over 10 weeks), read back and checked line by line: the format, the
 * order, and that the labels tell the truth — positives really cross the detector's thresholds in the file,
 * and nothing else does.
 */
class GeneratedTrafficTest {

    private static final long BURST_WINDOW = 20;
    private static final int BURST_PAGES = 30;
    private static final long CRAWL_WINDOW = 3600;
    private static final int CRAWL_PAGES = 200;
    private static final Set<String> NATS = Set.of("97.105.19.58", "97.105.19.61");

    @TempDir
    static Path dir;

    private static GeneratedHistory history;
    private static List<Label> labels;

    @BeforeAll
    static void generate() throws IOException {
        final GeneratorSettings settings = new GeneratorSettings(11, 100_000, LocalDate.of(2019, 1, 7), 70,
                CohortsCsv.bundled(), ZoneId.of("America/Chicago"));
        new HistoryGenerator(settings).write(dir.resolve("history.txt"), dir.resolve("history.labels.jsonl"));
        history = GeneratedHistory.read(dir.resolve("history.txt"));
        labels = Labels.read(dir.resolve("history.labels.jsonl"));
    }

    @Test
    void shouldSortLinesByTimeWhenWritten() {
        // given
        final List<GeneratedHistory.Request> requests = history.requests();

        // when
        final List<Integer> outOfOrder = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            final GeneratedHistory.Request before = requests.get(i - 1);
            final GeneratedHistory.Request after = requests.get(i);
            final boolean sameDay = after.day().equals(before.day());
            if (after.day().isBefore(before.day()) || sameDay && after.time() < before.time() && !isFallBack(after.day())) {
                outOfOrder.add(i + 1);
            }
        }

        // then
        assertThat(outOfOrder).as("lines out of time order").isEmpty();
    }

    @Test
    void shouldInjectEveryKindWhenTheSpanIsLongEnough() {
        assertThat(labels).extracting(Label::kind).containsAll(List.of(AnomalyKind.values()));
    }

    @Test
    void shouldPutCampusNatAddressesOnAThirdOfTheRowsWhenStudentsAreInClass() {
        // given
        final long nat = history.requests().stream().filter(r -> NATS.contains(r.ip())).count();

        // when
        final double share = (double) nat / history.requests().size();

        // then
        assertThat(share).isBetween(0.30, 0.45);
        assertThat(history.requests().stream().anyMatch(r -> r.cohortId() == null)).as("a user without a cohort").isTrue();
        assertThat(history.requests().stream().anyMatch(r -> Integer.valueOf(28).equals(r.cohortId()))).as("staff").isTrue();
    }

    @Test
    void shouldCrossTheBurstThresholdWhenLabelledAScraper() {
        for (final Label label : of(AnomalyKind.BURST_SCRAPER, AnomalyKind.NAT_SCRAPER)) {
            // given
            final List<GeneratedHistory.Request> rows = history.requests().stream()
                    .filter(r -> r.ip().equals(label.ip()) && r.userId() == label.userId())
                    .filter(r -> r.time() >= label.from().getEpochSecond() && r.time() <= label.to().getEpochSecond())
                    .toList();

            // when
            final int most = DistinctLessons.most(rows, BURST_WINDOW);

            // then
            assertThat(most).as(label.id()).isGreaterThanOrEqualTo(BURST_PAGES);
            assertThat(rows.size()).as(label.id()).isGreaterThanOrEqualTo((int) label.rows());
            if (label.kind() == AnomalyKind.BURST_SCRAPER) {
                assertThat(NATS).doesNotContain(label.ip());
                assertThat(most).as(label.id()).isGreaterThanOrEqualTo(100);
            } else {
                assertThat(NATS).contains(label.ip());
            }
        }
    }

    @Test
    void shouldCrawlSteadilyWithoutBurstingWhenLabelledASlowCrawler() {
        for (final Label label : of(AnomalyKind.SLOW_CRAWLER)) {
            // given
            final List<GeneratedHistory.Request> rows = history.requests().stream()
                    .filter(r -> r.ip().equals(label.ip()) && r.userId() == label.userId())
                    .toList();

            // when / then
            assertThat(DistinctLessons.most(rows, CRAWL_WINDOW)).as(label.id()).isGreaterThanOrEqualTo(250);
            assertThat(DistinctLessons.most(rows, BURST_WINDOW)).as(label.id()).isLessThan(BURST_PAGES);
            assertThat(rows.stream().map(r -> r.time() / 300).distinct().count()).isGreaterThanOrEqualTo(12);
        }
    }

    @Test
    void shouldStayBelowTheBurstThresholdWhenNotALabelledScraper() {
        // given
        final List<Label> scrapers = of(AnomalyKind.BURST_SCRAPER, AnomalyKind.NAT_SCRAPER);

        // when
        final List<DistinctLessons.Crossing> byIp = DistinctLessons.crossings(history.requests(),
                GeneratedHistory.Request::ip, BURST_WINDOW, BURST_PAGES);
        final List<DistinctLessons.Crossing> byClient = DistinctLessons.crossings(history.requests(),
                r -> r.userId() + "@" + r.ip(), BURST_WINDOW, BURST_PAGES);

        // then
        assertThat(byIp).allSatisfy(c -> assertThat(scrapers).as("IP crossing %s", c)
                .anySatisfy(l -> assertThat(within(c, l, l.ip())).isTrue()));
        assertThat(byClient).allSatisfy(c -> assertThat(scrapers).as("client crossing %s", c)
                .anySatisfy(l -> assertThat(within(c, l, l.userId() + "@" + l.ip())).isTrue()));
        assertThat(byIp.stream().map(DistinctLessons.Crossing::key).collect(Collectors.toSet()))
                .containsAll(of(AnomalyKind.BURST_SCRAPER).stream().map(Label::ip).toList());
    }

    @Test
    void shouldStayBelowTheCrawlThresholdWhenNotALabelledCrawler() {
        // given
        final Set<String> crawlers = new HashSet<>();
        for (final Label label : of(AnomalyKind.SLOW_CRAWLER)) {
            crawlers.add(label.userId() + "@" + label.ip());
        }
        final List<GeneratedHistory.Request> others = history.requests().stream()
                .filter(r -> !crawlers.contains(r.userId() + "@" + r.ip())).toList();

        // when
        final List<DistinctLessons.Crossing> crossings = DistinctLessons.crossings(others,
                r -> r.userId() + "@" + r.ip(), CRAWL_WINDOW, CRAWL_PAGES);

        // then
        assertThat(crossings).isEmpty();
    }

    @Test
    void shouldInjectHardNegativesWhenLabelledExpectNone() {
        for (final Label label : of(AnomalyKind.NAT_CLASSROOM, AnomalyKind.FAST_HUMAN, AnomalyKind.PAGE_WITH_ASSETS)) {
            // given
            final List<GeneratedHistory.Request> rows = history.requests().stream()
                    .filter(r -> r.ip().equals(label.ip()) && (label.userId() == null || r.userId() == label.userId()))
                    .filter(r -> r.time() >= label.from().getEpochSecond() && r.time() <= label.to().getEpochSecond())
                    .toList();

            // when / then
            assertThat(label.expect()).isEqualTo(Label.NONE);
            assertThat(rows.size()).as(label.id()).isGreaterThanOrEqualTo((int) label.rows());
            switch (label.kind()) {
                case NAT_CLASSROOM -> assertThat(rows.stream().map(GeneratedHistory.Request::userId).distinct().count())
                        .as(label.id()).isGreaterThanOrEqualTo(30);
                case FAST_HUMAN -> assertThat(DistinctLessons.most(rows, BURST_WINDOW)).as(label.id()).isBetween(12, BURST_PAGES - 1);
                case PAGE_WITH_ASSETS -> assertThat(rows.stream().filter(r -> r.lesson() == null).count())
                        .as(label.id()).isGreaterThanOrEqualTo(40);
                default -> throw new IllegalStateException();
            }
        }
    }

    @Test
    void shouldGiveEachFurtherMachineSpeedClassItsShapeWhenLabelled() {
        for (final Label label : of(AnomalyKind.SLOW_BURST, AnomalyKind.ROTATING_SCRAPER, AnomalyKind.LONG_CRAWLER,
                AnomalyKind.STAFF_REVIEW, AnomalyKind.HEAVY_READER, AnomalyKind.SHARED_HOME)) {
            // given the label's rows: its user's (on its address, when it names one), or every row of its address
            final List<GeneratedHistory.Request> rows = history.requests().stream()
                    .filter(r -> label.ip() == null || r.ip().equals(label.ip()))
                    .filter(r -> label.userId() == null || r.userId() == label.userId())
                    .filter(r -> r.time() >= label.from().getEpochSecond() && r.time() <= label.to().getEpochSecond())
                    .toList();
            final long span = label.to().getEpochSecond() - label.from().getEpochSecond();

            // when / then
            assertThat(rows.size()).as(label.id()).isGreaterThanOrEqualTo((int) label.rows());
            switch (label.kind()) {
                case SLOW_BURST -> {
                    assertThat(span).as(label.id()).isBetween(59L, 110L);
                    assertThat(DistinctLessons.most(rows, 120)).as(label.id()).isGreaterThanOrEqualTo(45);
                    assertThat(DistinctLessons.most(rows, BURST_WINDOW)).as(label.id()).isLessThan(BURST_PAGES);
                }
                case ROTATING_SCRAPER -> {
                    final Set<String> addresses = rows.stream().map(GeneratedHistory.Request::ip).collect(Collectors.toSet());
                    assertThat(label.scope()).isEqualTo("user");
                    assertThat(addresses).as(label.id()).hasSizeBetween(4, 8);
                    assertThat(DistinctLessons.most(rows, 600)).as(label.id()).isGreaterThanOrEqualTo(100);
                    for (final String address : addresses) {
                        assertThat(DistinctLessons.most(rows.stream().filter(r -> r.ip().equals(address)).toList(), 600))
                                .as(label.id() + " on " + address).isLessThan(40);
                    }
                }
                case LONG_CRAWLER -> {
                    assertThat(span).as(label.id()).isGreaterThan(2 * 3600L);
                    assertThat(DistinctLessons.most(rows, 3 * 3600)).as(label.id()).isGreaterThanOrEqualTo(240);
                    assertThat(DistinctLessons.most(rows, CRAWL_WINDOW)).as(label.id()).isLessThan(CRAWL_PAGES);
                }
                case STAFF_REVIEW -> assertThat(rows).as(label.id()).allMatch(r -> Integer.valueOf(28).equals(r.cohortId()));
                case HEAVY_READER -> {
                    assertThat(span).as(label.id()).isGreaterThan(4 * 3600L);
                    assertThat(rows.stream().filter(r -> r.lesson() != null).map(GeneratedHistory.Request::lesson).distinct().count())
                            .as(label.id()).isLessThan(rows.size() * 7L / 10);
                }
                case SHARED_HOME -> assertThat(rows.stream().map(GeneratedHistory.Request::userId).distinct().count())
                        .as(label.id()).isBetween(3L, 5L);
                default -> throw new IllegalStateException();
            }
        }
    }

    @Test
    void shouldMultiplyTheLessonsHitsWhenLabelledASpike() {
        assertThat(of(AnomalyKind.LESSON_SPIKE)).isNotEmpty();
        for (final Label label : of(AnomalyKind.LESSON_SPIKE)) {
            // given
            final LocalDate day = label.from().atZone(GeneratedHistory.CAMPUS).toLocalDate();

            // when
            final long count = hits(label, day);
            final double mean = precedingMean(label, day);

            // then
            assertThat(day.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            // (a usual count of at least 12, as the band's trimmed mean; the raw mean of the same weekdays may be a little lower)
            assertThat(mean).as(label.id()).isGreaterThanOrEqualTo(10);
            assertThat(count).as(label.id()).isGreaterThanOrEqualTo((long) Math.ceil(3.5 * mean));
        }
    }

    @Test
    void shouldSilenceTheLessonWhenLabelledADrop() {
        assertThat(of(AnomalyKind.LESSON_DROP)).isNotEmpty();
        for (final Label label : of(AnomalyKind.LESSON_DROP)) {
            // given
            final LocalDate day = label.from().atZone(GeneratedHistory.CAMPUS).toLocalDate();

            // when / then every class day of the drop has none, and the lesson usually has hits that day
            for (LocalDate d = day; d.atStartOfDay(GeneratedHistory.CAMPUS).toInstant().isBefore(label.to()); d = d.plusDays(1)) {
                assertThat(hits(label, d)).as(label.id() + " on " + d).isZero();
                assertThat(precedingMean(label, d)).as(label.id() + " on " + d).isGreaterThanOrEqualTo(10);
            }
        }
    }

    @Test
    void shouldGiveAnInactiveStudentOnlyAHandfulOfAccessesWhenLabelled() {
        for (final Label label : of(AnomalyKind.INACTIVE_STUDENT)) {
            assertThat(history.requests().stream().filter(r -> r.userId() == label.userId()).count())
                    .as(label.id()).isEqualTo(label.rows()).isBetween(1L, 5L);
        }
    }

    private static long hits(final Label label, final LocalDate day) {
        return history.requests().stream()
                .filter(r -> r.day().equals(day) && label.lesson().equals(r.lesson()) && r.programId() == label.programId())
                .count();
    }

    /** Mean of the lesson's hits on the same weekday of up to 8 preceding weeks inside the span. */
    private static double precedingMean(final Label label, final LocalDate day) {
        final LocalDate first = history.requests().get(0).day();
        final List<Long> counts = new ArrayList<>();
        for (LocalDate d = day.minusWeeks(1); !d.isBefore(first) && counts.size() < 8; d = d.minusWeeks(1)) {
            counts.add(hits(label, d));
        }
        assertThat(counts).as(label.id()).hasSizeGreaterThanOrEqualTo(5);
        return counts.stream().mapToLong(Long::longValue).average().orElseThrow();
    }

    private static boolean within(final DistinctLessons.Crossing crossing, final Label label, final String key) {
        return crossing.key().equals(key)
                && crossing.time() >= label.from().getEpochSecond()
                && crossing.time() <= label.to().getEpochSecond() + BURST_WINDOW;
    }

    private static boolean isFallBack(final LocalDate day) {
        return GeneratedHistory.CAMPUS.getRules().getTransitions().stream()
                .anyMatch(t -> t.isOverlap() && t.getDateTimeBefore().toLocalDate().equals(day));
    }

    private static List<Label> of(final AnomalyKind... kinds) {
        final Set<AnomalyKind> wanted = Set.of(kinds);
        return labels.stream().filter(l -> wanted.contains(l.kind())).toList();
    }
}
