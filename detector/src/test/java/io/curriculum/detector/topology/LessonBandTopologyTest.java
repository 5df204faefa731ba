package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.curriculum.detector.model.BandAlert;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lesson bands per lesson and program, in event time: the square-root count model, each lesson judged as its share of
 * its program's traffic, the campus calendar, drop episodes, and the Bollinger band as the simple option.
 */
class LessonBandTopologyTest {

    /** A Monday with no federal holiday in the ten weeks after it. */
    private static final LocalDate FIRST_MONDAY = LocalDate.parse("2019-03-04");
    private static final String[] LESSONS = {"/java-ii/arrays", "/java-ii/collections", "/java-ii/maps", "/java-ii/streams", "/java-i/intro"};
    /** Class-day hits of each lesson: busy ones, a rare one, and one that carries most of the program. */
    private static final int[] CLASS_DAY = {50, 40, 30, 2, 150};
    private static final int ARRAYS = 0;
    private static final int RARE = 3;
    private static final int COHORT = 29;

    private long nextId = 1;

    // ---------------------------------------------------------------- the model

    @Test
    void shouldNotFlagARegularWeeklyRhythmWithQuietWeekends() {
        try (DetectorDriver d = driver()) {
            regularWeeks(d, FIRST_MONDAY, 9);
            assertThat(d.bandAlerts()).isEmpty();
        }
    }

    @Test
    void shouldFlagASpikeOnTheAccessThatCrossesTheUpperBoundAndCloseItWithTheFinalCount() {
        try (DetectorDriver d = driver()) {
            // given five regular weeks
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when the next Monday the arrays lesson draws 200 hits, the others their usual
            final int[] counts = regular(monday, 35);
            counts[ARRAYS] = 200;
            final List<BandAlert> seen = traffic(d, monday, counts);

            // then the lesson's spike opened with the hit that crossed its upper bound
            final BandAlert open = seen.stream().filter(a -> a.lesson().equals("java-ii/arrays") && a.status().equals("open")).findFirst().orElseThrow();
            assertThat(open.rule()).isEqualTo("band-spike");
            assertThat(open.model()).isEqualTo("sqrt");
            assertThat(open.program()).isEqualTo("Java web development");
            assertThat(open.count()).isGreaterThan((long) open.upper()).isLessThan(200);
            assertThat(open.expected()).isBetween(40.0, 60.0);
            assertThat(open.score()).isGreaterThan(4.0);
            assertThat(open.programCount()).isPositive();
            assertThat(open.historyWindows()).isEqualTo(5);
            assertThat(open.windowStart()).isEqualTo(Instant.parse("2019-04-08T05:00:00Z"));
            assertThat(open.alertId()).isEqualTo("band-spike|2|java-ii/arrays|2019-04-08T05:00:00Z");

            // when the next day begins
            final List<BandAlert> closed = traffic(d, monday.plusDays(1), regular(monday.plusDays(1), 36));

            // then the same alert closes with the final count; no other lesson breached
            assertThat(closed).filteredOn(a -> !a.lesson().equals("*")).singleElement().satisfies(a -> {
                assertThat(a.alertId()).isEqualTo(open.alertId());
                assertThat(a.status()).isEqualTo("closed");
                assertThat(a.count()).isEqualTo(200);
                assertThat(a.programCount()).isEqualTo(200L + counts[1] + counts[2] + counts[3] + counts[4]);
            });
            assertThat(seen).filteredOn(a -> !a.lesson().equals("*")).extracting(BandAlert::lesson).containsOnly("java-ii/arrays");
        }
    }

    @Test
    void shouldLeaveASpikeUnflaggedWhenTheRuleInForceAsksForALargerEffect() {
        try (DetectorDriver d = driver()) {
            // given five regular weeks, and a rule record that asks for an effect of 500 hits
            regularWeeks(d, FIRST_MONDAY, 5);
            d.rule("lesson-band", "{\"version\": 3, \"settings\": {\"detector.band.min-effect\": 500}}");
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when the arrays lesson draws 200 hits (about 150 over its usual) and the day closes
            final int[] counts = regular(monday, 35);
            counts[ARRAYS] = 200;
            final List<BandAlert> seen = traffic(d, monday, counts);
            seen.addAll(traffic(d, monday.plusDays(1), regular(monday.plusDays(1), 36)));

            // then nothing breaches version 3
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void shouldNameTheVersionOfTheLessonBandRuleInForce() {
        try (DetectorDriver d = driver()) {
            // given five regular weeks and version 4 of the band rule, with the configuration's k
            regularWeeks(d, FIRST_MONDAY, 5);
            d.rule("lesson-band", "{\"version\": 4, \"settings\": {\"detector.band.k\": 4.0}}");
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when a spike comes
            final int[] counts = regular(monday, 35);
            counts[ARRAYS] = 200;
            final List<BandAlert> seen = traffic(d, monday, counts);

            // then its alert names version 4
            assertThat(seen).filteredOn(a -> a.lesson().equals("java-ii/arrays")).isNotEmpty().allSatisfy(a -> {
                assertThat(a.ruleId()).isEqualTo("lesson-band");
                assertThat(a.ruleVersion()).isEqualTo(4);
                assertThat(a.simulated()).isFalse();
            });
        }
    }

    @Test
    void shouldWriteTheBandAlertsOfASimulatedRuleToTheSimulationTopicOnly() throws Exception {
        try (DetectorDriver d = driver()) {
            // given five regular weeks and the band rule simulated
            regularWeeks(d, FIRST_MONDAY, 5);
            d.rule("lesson-band", "{\"version\": 2, \"simulate\": true, \"settings\": {\"detector.band.k\": 4.0}}");
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when a spike comes
            final int[] counts = regular(monday, 35);
            counts[ARRAYS] = 200;
            final List<BandAlert> live = traffic(d, monday, counts);

            // then the live topic has none, the simulation topic the spike, marked
            assertThat(live).isEmpty();
            final List<BandAlert> simulated = new java.util.ArrayList<>();
            for (final String json : d.simulated.readValuesToList()) {
                simulated.add(io.curriculum.detector.serde.JsonSerde.MAPPER.readValue(json, BandAlert.class));
            }
            assertThat(simulated).extracting(BandAlert::alertId).contains("band-spike|2|java-ii/arrays|2019-04-08T05:00:00Z");
            assertThat(simulated).allSatisfy(a -> {
                assertThat(a.simulated()).isTrue();
                assertThat(a.ruleVersion()).isEqualTo(2);
            });
        }
    }

    @Test
    void shouldFlagTheDropToZeroOfABusyLessonWhenTheEmptyWindowClosesButNotTheProgram() {
        try (DetectorDriver d = driver()) {
            // given five regular weeks
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when the arrays lesson gets no hit at all on Monday, the others their usual, into Tuesday
            final int[] counts = regular(monday, 35);
            counts[ARRAYS] = 0;
            traffic(d, monday, counts);
            final List<BandAlert> alerts = traffic(d, monday.plusDays(1), regular(monday.plusDays(1), 36));

            // then the empty Monday is one lesson drop, in proportion to the program's traffic that day
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("band-drop");
                assertThat(a.status()).isEqualTo("closed");
                assertThat(a.lesson()).isEqualTo("java-ii/arrays");
                assertThat(a.count()).isZero();
                assertThat(a.programCount()).isEqualTo((long) counts[1] + counts[2] + counts[3] + counts[4]);
                assertThat(a.expected()).isBetween(40.0, 60.0);
                assertThat(a.lower()).isGreaterThan(0);
                assertThat(a.score()).isLessThan(-4.0);
                assertThat(a.since()).isEqualTo(a.windowStart()).isEqualTo(Instant.parse("2019-04-08T05:00:00Z"));
                assertThat(a.episodeWindows()).isEqualTo(1);
                assertThat(a.alertId()).isEqualTo("band-drop|2|java-ii/arrays|2019-04-08T05:00:00Z");
            });
        }
    }

    @Test
    void shouldNotFlagTheDropToZeroOfARareLesson() {
        try (DetectorDriver d = driver()) {
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);
            final int[] counts = regular(monday, 35);
            counts[RARE] = 0;
            traffic(d, monday, counts);
            assertThat(traffic(d, monday.plusDays(1), regular(monday.plusDays(1), 36))).isEmpty();
        }
    }

    @Test
    void shouldRaiseOneProgramDropAndNoLessonDropOnAProgramWideQuietDay() {
        try (DetectorDriver d = driver()) {
            // given five regular weeks
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when the whole program reads a tenth of its usual on Monday (not a calendar day)
            final int[] counts = regular(monday, 35);
            for (int i = 0; i < counts.length; i++) {
                counts[i] = counts[i] / 10;
            }
            traffic(d, monday, counts);
            final List<BandAlert> alerts = traffic(d, monday.plusDays(1), regular(monday.plusDays(1), 36));

            // then that is one program-level event
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.lesson()).isEqualTo("*");
                assertThat(a.rule()).isEqualTo("band-drop");
                assertThat(a.programCount()).isNull();
                assertThat(a.count()).isEqualTo(counts[0] + counts[1] + counts[2] + counts[3] + counts[4]);
            });
        }
    }

    @Test
    void shouldRaiseOneEpisodeForADropOverSeveralConsecutiveDays() {
        try (DetectorDriver d = driver()) {
            // given five regular weeks
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);

            // when the arrays lesson gets nothing Monday to Wednesday, then its usual again
            final List<BandAlert> alerts = new ArrayList<>();
            for (int n = 0; n < 5; n++) {
                final int[] counts = regular(monday.plusDays(n), 35 + n);
                if (n < 3) {
                    counts[ARRAYS] = 0;
                }
                alerts.addAll(traffic(d, monday.plusDays(n), counts));
            }

            // then the three days are one alert, updated: since Monday, 1, 2, 3 low days
            assertThat(alerts).extracting(BandAlert::alertId).containsOnly("band-drop|2|java-ii/arrays|2019-04-08T05:00:00Z");
            assertThat(alerts).extracting(BandAlert::episodeWindows).containsExactly(1, 2, 3);
            assertThat(alerts).extracting(BandAlert::since).containsOnly(Instant.parse("2019-04-08T05:00:00Z"));
            assertThat(alerts).extracting(BandAlert::windowStart).containsExactly(Instant.parse("2019-04-08T05:00:00Z"),
                    Instant.parse("2019-04-09T05:00:00Z"), Instant.parse("2019-04-10T05:00:00Z"));
            final BandAlert last = alerts.get(2);
            assertThat(last.episodeCount()).isZero();
            assertThat(last.episodeExpected()).isBetween(120.0, 180.0);
        }
    }

    // ---------------------------------------------------------------- the calendar

    @Test
    void shouldNeitherJudgeNorLearnFromACampusHoliday() {
        // Memorial Day 2019 is Monday May 27, seven weeks after April 8
        final LocalDate first = LocalDate.parse("2019-04-08");
        final LocalDate memorialDay = LocalDate.parse("2019-05-27");
        try (DetectorDriver d = driver()) {
            // given seven regular weeks
            regularWeeks(d, first, 7);

            // when Memorial Day is quiet, and the days and the Monday after it are regular
            final List<BandAlert> alerts = new ArrayList<>(quietDay(d, memorialDay));
            for (int n = 1; n <= 8; n++) {
                alerts.addAll(traffic(d, memorialDay.plusDays(n), regular(memorialDay.plusDays(n), 49 + n)));
            }

            // then nothing is flagged: the holiday is not judged, and the next Monday's band did not learn from it
            assertThat(alerts).isEmpty();
        }
    }

    @Test
    void shouldJudgeAHolidayOnlyAtProgramLevelWhenTheCalendarIsOff() {
        final LocalDate first = LocalDate.parse("2019-04-08");
        final LocalDate memorialDay = LocalDate.parse("2019-05-27");
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.band.holidays", "none"))) {
            cohorts(d);
            regularWeeks(d, first, 7);
            final List<BandAlert> alerts = new ArrayList<>(quietDay(d, memorialDay));
            alerts.addAll(traffic(d, memorialDay.plusDays(1), regular(memorialDay.plusDays(1), 50)));

            // then without the calendar the quiet day is a drop of the program, still not of each lesson
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.lesson()).isEqualTo("*");
                assertThat(a.rule()).isEqualTo("band-drop");
                assertThat(a.windowStart()).isEqualTo(Instant.parse("2019-05-27T05:00:00Z"));
            });
        }
    }

    @Test
    void shouldSkipTheDaysOfACalendarFile(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
        final java.nio.file.Path file = dir.resolve("calendar.txt");
        java.nio.file.Files.writeString(file, "# spring break\n2019-04-08..2019-04-09 spring break\n");
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.band.calendar-file", file.toString()))) {
            cohorts(d);
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);
            final List<BandAlert> alerts = new ArrayList<>(quietDay(d, monday));
            alerts.addAll(quietDay(d, monday.plusDays(1)));
            alerts.addAll(traffic(d, monday.plusDays(2), regular(monday.plusDays(2), 37)));
            assertThat(alerts).isEmpty();
        }
    }

    // ---------------------------------------------------------------- the simple option and the basics

    @Test
    void shouldKeepTheSeedAnalysisBollingerBandAsTheSimpleOption() {
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.band.model", "bollinger", "detector.band.k", "3", "detector.band.min-effect", "0"))) {
            cohorts(d);
            regularWeeks(d, FIRST_MONDAY, 5);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);
            final int[] counts = regular(monday, 35);
            counts[ARRAYS] = 200;
            final BandAlert open = traffic(d, monday, counts).stream()
                    .filter(a -> a.lesson().equals("java-ii/arrays") && a.status().equals("open")).findFirst().orElseThrow();
            assertThat(open.model()).isEqualTo("bollinger");
            assertThat(open.expected()).isEqualTo(open.mean());
            assertThat(open.upper()).isCloseTo(open.mean() + 3 * Math.max(open.stddev(), Math.sqrt(open.mean())), offset(0.02));
            assertThat(open.count()).isEqualTo((long) Math.floor(open.upper()) + 1);
        }
    }

    @Test
    void shouldKeepSeparateSeriesPerProgramAndNotJudgeSeriesWithTooLittleHistory() {
        try (DetectorDriver d = driver()) {
            // given program 2 regular for five weeks, and program 3 reading the same lessons only in the last three
            for (int n = 0; n < 35; n++) {
                final LocalDate date = FIRST_MONDAY.plusDays(n);
                traffic(d, date, regular(date, n), n >= 14 ? regular(date, n + 1) : new int[LESSONS.length]);
            }
            // when program 3's arrays lesson draws 300 on the next Monday, program 2 regular
            final LocalDate monday = FIRST_MONDAY.plusWeeks(5);
            final int[] program3 = regular(monday, 5);
            program3[ARRAYS] = 300;
            final List<BandAlert> alerts = new ArrayList<>(traffic(d, monday, regular(monday, 35), program3));
            alerts.addAll(traffic(d, monday.plusDays(1), regular(monday.plusDays(1), 36)));

            // then nothing is flagged: program 3 has three Mondays of history, program 2 is regular
            assertThat(alerts).isEmpty();
        }
    }

    // ---------------------------------------------------------------- test data

    private static DetectorDriver driver() {
        final DetectorDriver d = new DetectorDriver();
        cohorts(d);
        return d;
    }

    private static void cohorts(final DetectorDriver d) {
        d.cohort(COHORT, "Zion", "2018-09-01", "2019-12-20", 2);
        d.cohort(55, "Bayes", "2018-09-01", "2019-12-20", 3);
    }

    /** Every lesson's usual hits on {@code date}: the class-day counts ± 3 on weekdays, a few at weekends. */
    private static int[] regular(final LocalDate date, final int n) {
        final boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        final int[] counts = new int[LESSONS.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = weekend ? CLASS_DAY[i] / 15 : i == RARE ? 1 + (n + i) % 3 : CLASS_DAY[i] + (n * 7 + i * 3) % 7 - 3;
        }
        return counts;
    }

    private void regularWeeks(final DetectorDriver d, final LocalDate first, final int weeks) {
        for (int n = 0; n < weeks * 7; n++) {
            final List<BandAlert> alerts = traffic(d, first.plusDays(n), regular(first.plusDays(n), n));
            assertThat(alerts).as("regular day %s", first.plusDays(n)).isEmpty();
        }
    }

    /** A twentieth of every lesson's usual class-day traffic. */
    private List<BandAlert> quietDay(final DetectorDriver d, final LocalDate date) {
        final int[] counts = new int[LESSONS.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = CLASS_DAY[i] / 20;
        }
        return traffic(d, date, counts);
    }

    /**
     * One day's hits, in event-time order over class hours: {@code perCohort[0]} of each lesson by cohort 29 (program 2),
     * {@code perCohort[1]}, when given, by cohort 55 (program 3). Returns the band alerts they raised.
     */
    private List<BandAlert> traffic(final DetectorDriver d, final LocalDate day, final int[]... perCohort) {
        final List<long[]> events = new ArrayList<>();
        for (int c = 0; c < perCohort.length; c++) {
            for (int lesson = 0; lesson < LESSONS.length; lesson++) {
                final int count = perCohort[c][lesson];
                for (int i = 0; i < count; i++) {
                    events.add(new long[] {9 * 3600L + (i * 7 * 3600L + lesson * 97L) / Math.max(1, count), c, lesson, i});
                }
            }
        }
        events.sort(Comparator.comparingLong((long[] e) -> e[0]).thenComparingLong(e -> e[1]).thenComparingLong(e -> e[2]));
        final List<BandAlert> alerts = new ArrayList<>();
        for (final long[] e : events) {
            final int cohort = e[1] == 0 ? COHORT : 55;
            final int i = (int) e[3];
            d.access(nextId++, DetectorDriver.plusSeconds(day + " 00:00:00", e[0]), LESSONS[(int) e[2]], 1000L + i, cohort,
                    "10." + e[1] + "." + (i / 200) + "." + (i % 200));
            alerts.addAll(d.bandAlerts());
        }
        return alerts;
    }
}
