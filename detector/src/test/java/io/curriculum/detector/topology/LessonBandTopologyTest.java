package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.BandAlert;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Point 5: Bollinger bands per lesson and program, with the weekly rhythm, in event time. */
class LessonBandTopologyTest {

    private static final LocalDate FIRST_MONDAY = LocalDate.parse("2019-01-07");

    private long nextId = 1;

    /** {@code count} accesses to {@code path} on {@code day}, spread over class hours, each from its own student and address. */
    private void day(final DetectorDriver d, final LocalDate day, final String path, final int cohort, final int count) {
        days(d, day, path, new int[] {cohort, count});
    }

    /** Several series' accesses on one day, fed in event-time order: {@code cohortsAndCounts} pairs cohort id and count. */
    private void days(final DetectorDriver d, final LocalDate day, final String path, final int[]... cohortsAndCounts) {
        final java.util.List<long[]> events = new java.util.ArrayList<>();
        for (final int[] series : cohortsAndCounts) {
            for (int i = 0; i < series[1]; i++) {
                events.add(new long[] {9 * 3600L + i * (7 * 3600L) / series[1], series[0], i});
            }
        }
        events.sort(java.util.Comparator.comparingLong(e -> e[0]));
        for (final long[] e : events) {
            final int i = (int) e[2];
            d.access(nextId++, DetectorDriver.plusSeconds(day + " 00:00:00", e[0]), path, 1000L + i, (int) e[1], "10." + e[1] + "." + (i / 200) + "." + (i % 200));
        }
    }

    /** Weekdays around 50 (45..55), weekends 2..4, for {@code weeks} weeks from the first Monday. */
    private void regularWeeks(final DetectorDriver d, final int weeks, final String path, final int cohort) {
        for (int n = 0; n < weeks * 7; n++) {
            final LocalDate date = FIRST_MONDAY.plusDays(n);
            final boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
            day(d, date, path, cohort, weekend ? 2 + n % 3 : 45 + (n * 7) % 11);
        }
    }

    private static DetectorDriver driver() {
        final DetectorDriver d = new DetectorDriver();
        d.cohort(29, "Zion", "2018-09-01", "2019-12-20", 2);
        d.cohort(55, "Bayes", "2018-09-01", "2019-12-20", 3);
        return d;
    }

    @Test
    void shouldNotFlagARegularWeeklyRhythmWithQuietWeekends() {
        try (DetectorDriver d = driver()) {
            regularWeeks(d, 8, "/java-ii/arrays", 29);
            assertThat(d.bandAlerts()).isEmpty();
        }
    }

    @Test
    void shouldFlagASpikeOnTheAccessThatCrossesTheUpperBoundAndCloseItWithTheFinalCount() {
        try (DetectorDriver d = driver()) {
            // given six regular weeks
            regularWeeks(d, 6, "/java-ii/arrays", 29);
            assertThat(d.bandAlerts()).isEmpty();

            // when the next Monday draws 200 accesses, fed one at a time
            final LocalDate monday = FIRST_MONDAY.plusWeeks(6);
            BandAlert open = null;
            BandAlert programOpen = null;
            int crossedAt = -1;
            for (int i = 0; i < 200 && open == null; i++) {
                d.access(nextId++, DetectorDriver.plusSeconds(monday + " 09:00:00", i * 60L), "/java-ii/arrays/", 2000L + i, 29, "10.2.0." + (i % 250));
                for (final BandAlert alert : d.bandAlerts()) {
                    if (alert.lesson().equals("*")) {
                        programOpen = alert;
                    } else {
                        open = alert;
                        crossedAt = i + 1;
                    }
                }
            }

            // then the spike was reported by the access that lifted the count over mean + 3σ
            assertThat(open).isNotNull();
            assertThat(open.rule()).isEqualTo("band-spike");
            assertThat(open.status()).isEqualTo("open");
            assertThat(open.lesson()).isEqualTo("java-ii/arrays");
            assertThat(open.programId()).isEqualTo(2);
            assertThat(open.program()).isEqualTo("Java web development");
            assertThat(open.count()).isEqualTo(crossedAt).isEqualTo((long) Math.floor(open.upper()) + 1);
            assertThat(open.historyWindows()).isEqualTo(6);
            assertThat(open.mean()).isBetween(45.0, 55.0);
            assertThat(open.upper()).isEqualTo(open.mean() + 3 * Math.max(open.stddev(), Math.sqrt(open.mean())), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(open.windowStart()).isEqualTo(Instant.parse("2019-02-18T06:00:00Z"));
            assertThat(open.windowEnd()).isEqualTo(Instant.parse("2019-02-19T06:00:00Z"));
            assertThat(open.alertId()).isEqualTo("band-spike|2|java-ii/arrays|2019-02-18T06:00:00Z");
            // and the program as a whole, whose only lesson this is, spiked with it
            assertThat(programOpen).isNotNull();
            assertThat(programOpen.alertId()).isEqualTo("band-spike|2|*|2019-02-18T06:00:00Z");
            assertThat(programOpen.count()).isEqualTo(open.count());

            // when the rest of the day's accesses come and the next day begins
            for (int i = crossedAt; i < 200; i++) {
                d.access(nextId++, DetectorDriver.plusSeconds(monday + " 09:00:00", i * 60L), "/java-ii/arrays", 2000L + i, 29, "10.2.1." + (i % 250));
            }
            assertThat(d.bandAlerts()).isEmpty();
            day(d, monday.plusDays(1), "/java-ii/arrays", 29, 50);

            // then the same key closes with the final count
            final String openId = open.alertId();
            final List<BandAlert> closed = d.bandAlerts();
            assertThat(closed).extracting(BandAlert::lesson).containsExactlyInAnyOrder("java-ii/arrays", "*");
            assertThat(closed).filteredOn(a -> a.lesson().equals("java-ii/arrays")).singleElement().satisfies(a -> {
                assertThat(a.alertId()).isEqualTo(openId);
                assertThat(a.status()).isEqualTo("closed");
                assertThat(a.count()).isEqualTo(200);
            });
        }
    }

    @Test
    void shouldFlagADropToZeroWhenTheEmptyWindowCloses() {
        try (DetectorDriver d = driver()) {
            // given six regular weeks of one lesson, and another lesson that keeps event time moving
            regularWeeks(d, 6, "/java-ii/arrays", 29);
            final LocalDate monday = FIRST_MONDAY.plusWeeks(6);
            // when the lesson gets no access at all on Monday, while another lesson does, into Tuesday
            day(d, monday, "/java-ii/collections", 29, 20);
            day(d, monday.plusDays(1), "/java-ii/collections", 29, 20);

            // then the empty Monday is a drop, reported once its window closed
            final List<BandAlert> alerts = d.bandAlerts();
            // (the program as a whole fell from about 50 to 20 that day: a drop too)
            assertThat(alerts).filteredOn(a -> a.lesson().equals("*")).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("band-drop");
                assertThat(a.count()).isEqualTo(20);
                assertThat(a.program()).isEqualTo("Java web development");
            });
            assertThat(alerts).filteredOn(a -> !a.lesson().equals("*")).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("band-drop");
                assertThat(a.status()).isEqualTo("closed");
                assertThat(a.lesson()).isEqualTo("java-ii/arrays");
                assertThat(a.count()).isZero();
                assertThat(a.lower()).isGreaterThan(0);
                assertThat(a.windowStart()).isEqualTo(Instant.parse("2019-02-18T06:00:00Z"));
            });
        }
    }

    @Test
    void shouldKeepSeparateSeriesPerProgramAndNotJudgeSeriesWithTooLittleHistory() {
        try (DetectorDriver d = driver()) {
            // given the same lesson path read regularly in program 2, and only for three weeks in program 3
            for (int n = 0; n < 42; n++) {
                final LocalDate date = FIRST_MONDAY.plusDays(n);
                final boolean weekday = date.getDayOfWeek().getValue() <= 5;
                days(d, date, "/fundamentals/git", new int[] {29, weekday ? 45 + (n * 7) % 11 : 3}, new int[] {55, n >= 21 && weekday ? 50 : 0});
            }
            // when program 3 draws 300 on the next Monday and program 2 stays regular
            final LocalDate monday = FIRST_MONDAY.plusWeeks(6);
            days(d, monday, "/fundamentals/git", new int[] {55, 300}, new int[] {29, 50});
            day(d, monday.plusDays(1), "/fundamentals/git", 29, 50);

            // then nothing is flagged: program 3's series has only three Mondays of history, program 2 is regular
            assertThat(d.bandAlerts()).isEmpty();

            // when program 3 has its fourth Monday history and spikes again the week after
            for (int n = 44; n < 49; n++) {
                final LocalDate date = FIRST_MONDAY.plusDays(n);
                if (date.getDayOfWeek().getValue() <= 5) {
                    days(d, date, "/fundamentals/git", new int[] {55, 50}, new int[] {29, 50});
                }
            }
            // (its Monday history is now 50, 50, 50, 300: mean 112.5, sigma 108, upper bound 437)
            day(d, monday.plusWeeks(1), "/fundamentals/git", 55, 600);

            // then the spike belongs to program 3 only (its lesson, and program 3 as a whole)
            final List<BandAlert> opened = d.bandAlerts().stream().filter(a -> a.status().equals("open")).toList();
            assertThat(opened).extracting(BandAlert::alertId).containsExactlyInAnyOrder(
                    "band-spike|3|fundamentals/git|2019-02-25T06:00:00Z", "band-spike|3|*|2019-02-25T06:00:00Z");
            assertThat(opened).filteredOn(a -> !a.lesson().equals("*"))
                    .singleElement().satisfies(a -> {
                        assertThat(a.programId()).isEqualTo(3);
                        assertThat(a.rule()).isEqualTo("band-spike");
                        assertThat(a.historyWindows()).isEqualTo(4);
                        assertThat(a.upper()).isCloseTo(437.5, org.assertj.core.data.Offset.offset(1.0));
                        assertThat(a.count()).isEqualTo(438);
                    });
        }
    }
}
