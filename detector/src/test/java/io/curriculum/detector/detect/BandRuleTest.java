package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class BandRuleTest {

    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final BandSettings DAILY = new BandSettings(Duration.ofDays(1), 3.0, 8, 4, 10, true);
    /** Six weeks of history start on this Monday; the judged Monday is {@link #JUDGED_MONDAY}. */
    private static final LocalDate FIRST_MONDAY = LocalDate.of(2019, 1, 7);
    private static final LocalDate JUDGED_MONDAY = FIRST_MONDAY.plusWeeks(6);

    private final BandRule rule = new BandRule(DAILY, CAMPUS, GRACE);

    // ---------------------------------------------------------------- window alignment

    @Test
    void shouldAlignDailyWindowToCampusMidnight() {
        // given: 05:30 UTC on March 4th is 23:30 on March 3rd in Chicago (UTC-6)
        final long lateEvening = Instant.parse("2019-03-04T05:30:00Z").toEpochMilli();

        // when
        final long window = rule.windowOf(lateEvening);

        // then
        assertThat(window).isEqualTo(LocalDate.of(2019, 3, 3).toEpochDay());
        assertThat(rule.windowStart(window)).isEqualTo(Instant.parse("2019-03-03T06:00:00Z"));
        assertThat(rule.windowEnd(window)).isEqualTo(Instant.parse("2019-03-04T06:00:00Z"));
        assertThat(rule.windowOf(Instant.parse("2019-03-03T06:00:00Z").toEpochMilli())).isEqualTo(window);
        assertThat(rule.windowOf(Instant.parse("2019-03-03T05:59:59.999Z").toEpochMilli())).isEqualTo(window - 1);
        assertThat(rule.windowOf(Instant.parse("2019-03-04T06:00:00Z").toEpochMilli())).isEqualTo(window + 1);
    }

    @Test
    void shouldMakeTheSpringForwardDayTwentyThreeHoursLong() {
        // given
        final long noonOnDstDay = Instant.parse("2019-03-10T18:00:00Z").toEpochMilli();

        // when
        final long window = rule.windowOf(noonOnDstDay);

        // then
        assertThat(rule.windowStart(window)).isEqualTo(Instant.parse("2019-03-10T06:00:00Z"));
        assertThat(rule.windowEnd(window)).isEqualTo(Instant.parse("2019-03-11T05:00:00Z"));
        assertThat(Duration.between(rule.windowStart(window), rule.windowEnd(window))).isEqualTo(Duration.ofHours(23));
        assertThat(rule.windowOf(Instant.parse("2019-03-11T04:59:59.999Z").toEpochMilli())).isEqualTo(window);
        assertThat(rule.windowOf(Instant.parse("2019-03-11T05:00:00Z").toEpochMilli())).isEqualTo(window + 1);
    }

    @Test
    void shouldMakeTheFallBackDayTwentyFiveHoursLong() {
        // given
        final long window = rule.windowOf(Instant.parse("2019-11-03T18:00:00Z").toEpochMilli());

        // when
        final Duration length = Duration.between(rule.windowStart(window), rule.windowEnd(window));

        // then
        assertThat(rule.windowStart(window)).isEqualTo(Instant.parse("2019-11-03T05:00:00Z"));
        assertThat(length).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void shouldCloseWindowOnlyOnceWatermarkPassesItsEndPlusGrace() {
        // given
        final long window = windowOf(JUDGED_MONDAY);
        final long end = rule.windowEnd(window).toEpochMilli();

        // when / then
        assertThat(rule.lastClosable(end + GRACE.toMillis())).isEqualTo(window);
        assertThat(rule.lastClosable(end + GRACE.toMillis() - 1)).isEqualTo(window - 1);
    }

    @Test
    void shouldUseSevenWeeklyPhasesForDailyWindowsOnlyWhenWeekly() {
        // when / then
        assertThat(DAILY.phases()).isEqualTo(7);
        assertThat(new BandSettings(Duration.ofDays(1), 3.0, 8, 4, 10, false).phases()).isEqualTo(1);
        assertThat(new BandSettings(Duration.ofHours(1), 3.0, 8, 4, 10, true).phases()).isEqualTo(168);
        assertThat(new BandSettings(Duration.ofHours(5), 3.0, 8, 4, 10, true).phases()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- spikes and drops

    @Test
    void shouldRaiseOneOpenSpikeWhenMondayCountCrossesUpperBoundAndCloseItWithFinalCount() {
        // given: six weeks of ~50 hits every weekday, nothing on weekends
        final Series lesson = new Series();
        lesson.weeks(6, BandRuleTest::steadyWeekdays);
        final double mean = mondayHistory().stream().mapToInt(Integer::intValue).average().orElseThrow();
        final double expectedUpper = mean + 3.0 * Math.sqrt(mean);

        // when: 200 hits on the seventh Monday
        lesson.day(JUDGED_MONDAY, 200);
        final List<BandSignal> whileOpen = new ArrayList<>(lesson.signals);
        final List<BandSignal> justBeforeClose = lesson.closeAt(endOf(JUDGED_MONDAY) + GRACE.toMillis() - 1);
        final List<BandSignal> atClose = lesson.closeAt(endOf(JUDGED_MONDAY) + GRACE.toMillis());

        // then
        assertThat(whileOpen).singleElement().satisfies(open -> {
            assertThat(open.spike()).isTrue();
            assertThat(open.open()).isTrue();
            assertThat(open.windowIndex()).isEqualTo(windowOf(JUDGED_MONDAY));
            assertThat(open.stats().historyWindows()).isEqualTo(6);
            assertThat(open.stats().mean()).isCloseTo(mean, within(1e-9));
            assertThat(open.stats().upper()).isCloseTo(expectedUpper, within(1e-9));
            assertThat(open.count()).isEqualTo((long) Math.floor(open.stats().upper()) + 1).isEqualTo(71);
        });
        assertThat(justBeforeClose).isEmpty();
        assertThat(atClose).singleElement().satisfies(closed -> {
            assertThat(closed.spike()).isTrue();
            assertThat(closed.open()).isFalse();
            assertThat(closed.windowIndex()).isEqualTo(windowOf(JUDGED_MONDAY));
            assertThat(closed.count()).isEqualTo(200);
            assertThat(closed.stats().upper()).isCloseTo(expectedUpper, within(1e-9));
        });
    }

    @Test
    void shouldRaiseDropWhenWatermarkPassesEndPlusGraceOfADayWithoutHits() {
        // given: six weeks of ~50 hits every weekday, then a Monday with no hit at all
        final Series lesson = new Series();
        lesson.weeks(6, BandRuleTest::steadyWeekdays);
        final long end = endOf(JUDGED_MONDAY);

        // when
        final List<BandSignal> beforeGrace = lesson.closeAt(end + GRACE.toMillis() - 1);
        final List<BandSignal> afterGrace = lesson.closeAt(end + GRACE.toMillis());

        // then
        assertThat(beforeGrace).isEmpty();
        assertThat(afterGrace).singleElement().satisfies(drop -> {
            assertThat(drop.spike()).isFalse();
            assertThat(drop.open()).isFalse();
            assertThat(drop.windowIndex()).isEqualTo(windowOf(JUDGED_MONDAY));
            assertThat(drop.count()).isZero();
            assertThat(drop.stats().lower()).isGreaterThan(0);
        });
        assertThat(lesson.signals).isEmpty();
    }

    @Test
    void shouldNotFlagQuietSaturdayOfSeriesBusyOnWeekdaysAndQuietOnWeekends() {
        // given: ~60 hits Monday to Friday, ~3 on weekends, for six weeks and the following weekdays
        final Series lesson = new Series();
        lesson.weeks(6, BandRuleTest::weekdaysAndQuietWeekends);
        for (int d = 0; d < 5; d++) {
            lesson.day(JUDGED_MONDAY.plusDays(d), 60);
        }
        final LocalDate saturday = JUDGED_MONDAY.plusDays(5);

        // when
        lesson.day(saturday, 2);
        final List<BandSignal> closing = lesson.closeAt(endOf(saturday) + GRACE.toMillis());

        // then
        assertThat(closing).isEmpty();
        assertThat(lesson.signals).isEmpty();
        assertThat(lesson.series.lastClosed()).isEqualTo(windowOf(saturday));
    }

    @Test
    void shouldFlagQuietWeekdayOfTheSameWeeklyRhythm() {
        // given: the same rhythm, but the judged Monday is as quiet as a weekend day
        final Series lesson = new Series();
        lesson.weeks(6, BandRuleTest::weekdaysAndQuietWeekends);

        // when
        lesson.day(JUDGED_MONDAY, 3);
        final List<BandSignal> closing = lesson.closeAt(endOf(JUDGED_MONDAY) + GRACE.toMillis());

        // then
        assertThat(lesson.signals).isEmpty();
        assertThat(closing).singleElement().satisfies(drop -> {
            assertThat(drop.spike()).isFalse();
            assertThat(drop.count()).isEqualTo(3);
            assertThat(drop.windowIndex()).isEqualTo(windowOf(JUDGED_MONDAY));
        });
    }

    @Test
    void shouldNotJudgeSeriesWithOnlyThreeWeeksOfHistory() {
        // given
        final Series lesson = new Series();
        lesson.weeks(3, BandRuleTest::steadyWeekdays);
        final LocalDate fourthMonday = FIRST_MONDAY.plusWeeks(3);

        // when
        lesson.day(fourthMonday, 200);
        final List<BandSignal> closing = lesson.closeAt(endOf(fourthMonday) + GRACE.toMillis());

        // then
        assertThat(lesson.signals).isEmpty();
        assertThat(closing).isEmpty();
    }

    @Test
    void shouldNotJudgeSeriesWithMeanBelowMinimum() {
        // given: six weeks of 4 to 6 hits every weekday
        final Series lesson = new Series();
        lesson.weeks(6, (day) -> isWeekend(day) ? 0 : 4 + day.getDayOfYear() % 3);

        // when
        lesson.day(JUDGED_MONDAY, 200);
        final List<BandSignal> closing = lesson.closeAt(endOf(JUDGED_MONDAY) + GRACE.toMillis());

        // then
        assertThat(lesson.signals).isEmpty();
        assertThat(closing).isEmpty();
    }

    // ---------------------------------------------------------------- late accesses

    @Test
    void shouldCountAccessWithinGraceButReturnNullForAccessInAlreadyClosedWindow() {
        // given
        final BandSeries series = rule.newSeries();
        final LocalDate monday = FIRST_MONDAY;
        final long lastMinuteOfMonday = at(monday, LocalTime.of(23, 59));
        final long fiveAfterMidnight = at(monday.plusDays(1), LocalTime.of(0, 5));
        final long tuesdayMorning = at(monday.plusDays(1), LocalTime.of(9, 0));
        rule.onAccess(series, at(monday, LocalTime.of(10, 0)), at(monday, LocalTime.of(10, 0)));

        // when
        final List<BandSignal> withinGrace = rule.onAccess(series, lastMinuteOfMonday, fiveAfterMidnight);
        final List<BandSignal> tuesday = rule.onAccess(series, tuesdayMorning, tuesdayMorning);
        final List<BandSignal> late = rule.onAccess(series, lastMinuteOfMonday, tuesdayMorning);

        // then
        assertThat(withinGrace).isNotNull().isEmpty();
        assertThat(tuesday).isNotNull().isEmpty();
        assertThat(late).isNull();
        assertThat(series.lastClosed()).isEqualTo(windowOf(monday));
        assertThat(series.orderedHistory(Math.floorMod(windowOf(monday), 7))).containsExactly(2);
    }

    // ---------------------------------------------------------------- encoding

    @Test
    void shouldRoundTripSeriesToIdenticalBytesAndBehaveTheSameAfterDecoding() {
        // given: six weeks of history and a Monday already over its upper bound
        final Series original = new Series();
        original.weeks(6, BandRuleTest::steadyWeekdays);
        original.day(JUDGED_MONDAY, 100);
        final byte[] encoded = original.series.encode();

        // when
        final BandSeries decoded = BandSeries.decode(encoded);
        final byte[] reEncoded = decoded.encode();
        final long decodedLastClosed = decoded.lastClosed();
        final Series copy = new Series(decoded, original.watermark);
        for (int i = 100; i < 200; i++) {
            original.access(JUDGED_MONDAY, i);
            copy.access(JUDGED_MONDAY, i);
        }
        final List<BandSignal> originalClosing = original.closeAt(endOf(JUDGED_MONDAY) + GRACE.toMillis());
        final List<BandSignal> copyClosing = copy.closeAt(endOf(JUDGED_MONDAY) + GRACE.toMillis());

        // then
        assertThat(reEncoded).isEqualTo(encoded);
        assertThat(decodedLastClosed).isEqualTo(windowOf(JUDGED_MONDAY) - 1);
        assertThat(copy.signals).isEmpty();
        assertThat(copyClosing).isEqualTo(originalClosing);
        assertThat(copyClosing).singleElement().satisfies(closed -> {
            assertThat(closed.spike()).isTrue();
            assertThat(closed.open()).isFalse();
            assertThat(closed.count()).isEqualTo(200);
        });
        assertThat(copy.series.encode()).isEqualTo(original.series.encode());
    }

    @Test
    void shouldRoundTripNewSeries() {
        // given
        final BandSeries fresh = rule.newSeries();

        // when
        final BandSeries decoded = BandSeries.decode(fresh.encode());

        // then
        assertThat(decoded.encode()).isEqualTo(fresh.encode());
        assertThat(decoded.lastClosed()).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- band statistics

    @Test
    void shouldFloorBandWidthAtSquareRootOfMeanWhenHistoryIsConstant() {
        // given
        final int[] history = {100, 100, 100, 100, 100, 100, 100, 100};

        // when
        final BandStats stats = BandStats.of(history, history.length, DAILY);

        // then
        assertThat(stats.mean()).isEqualTo(100.0);
        assertThat(stats.stddev()).isZero();
        assertThat(stats.lower()).isCloseTo(70.0, within(1e-9));
        assertThat(stats.upper()).isCloseTo(130.0, within(1e-9));
        assertThat(stats.historyWindows()).isEqualTo(8);
        assertThat(stats.judged()).isTrue();
        assertThat(stats.isSpike(130)).isFalse();
        assertThat(stats.isSpike(131)).isTrue();
        assertThat(stats.isDrop(70)).isFalse();
        assertThat(stats.isDrop(69)).isTrue();
    }

    @Test
    void shouldUseStandardDeviationWhenItExceedsSquareRootOfMean() {
        // given: mean 50, population σ 40 > √50
        final int[] history = {10, 90, 10, 90};

        // when
        final BandStats stats = BandStats.of(history, history.length, DAILY);

        // then
        assertThat(stats.mean()).isEqualTo(50.0);
        assertThat(stats.stddev()).isCloseTo(40.0, within(1e-9));
        assertThat(stats.lower()).isCloseTo(-70.0, within(1e-9));
        assertThat(stats.upper()).isCloseTo(170.0, within(1e-9));
        assertThat(stats.isDrop(0)).isFalse();
    }

    @Test
    void shouldNotJudgeStatsWithTooLittleHistoryOrTraffic() {
        // given
        final int[] threeWindows = {100, 100, 100};
        final int[] lowMean = {9, 9, 9, 9, 9};

        // when
        final BandStats short_ = BandStats.of(threeWindows, threeWindows.length, DAILY);
        final BandStats quiet = BandStats.of(lowMean, lowMean.length, DAILY);
        final BandStats empty = BandStats.of(new int[0], 0, DAILY);

        // then
        assertThat(short_.judged()).isFalse();
        assertThat(short_.isSpike(10_000)).isFalse();
        assertThat(quiet.judged()).isFalse();
        assertThat(quiet.isDrop(0)).isFalse();
        assertThat(empty.judged()).isFalse();
        assertThat(empty.historyWindows()).isZero();
        assertThat(empty.isDrop(0)).isFalse();
    }

    // ---------------------------------------------------------------- test data

    /** ~50 hits (48 to 52) every weekday, none on weekends. */
    private static int steadyWeekdays(final LocalDate day) {
        if (isWeekend(day)) {
            return 0;
        }
        final long n = day.toEpochDay() - FIRST_MONDAY.toEpochDay();
        return 50 + (int) (n % 5) - 2;
    }

    /** ~60 hits (58 to 62) Monday to Friday, ~3 (2 to 4) on weekends. */
    private static int weekdaysAndQuietWeekends(final LocalDate day) {
        final long n = day.toEpochDay() - FIRST_MONDAY.toEpochDay();
        return isWeekend(day) ? 3 + (int) (n % 3) - 1 : 60 + (int) (n % 5) - 2;
    }

    private static boolean isWeekend(final LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static List<Integer> mondayHistory() {
        final List<Integer> counts = new ArrayList<>();
        for (int week = 0; week < 6; week++) {
            counts.add(steadyWeekdays(FIRST_MONDAY.plusWeeks(week)));
        }
        return counts;
    }

    private static long at(final LocalDate day, final LocalTime time) {
        return day.atTime(time).atZone(CAMPUS).toInstant().toEpochMilli();
    }

    private long windowOf(final LocalDate day) {
        return rule.windowOf(at(day, LocalTime.NOON));
    }

    private long endOf(final LocalDate day) {
        return rule.windowEnd(windowOf(day)).toEpochMilli();
    }

    /** One lesson's series fed in event-time order: the i-th hit of a day comes at 09:00 + i minutes. */
    private final class Series {
        final BandSeries series;
        final List<BandSignal> signals = new ArrayList<>();
        long watermark;

        Series() {
            this(rule.newSeries(), Long.MIN_VALUE);
        }

        Series(final BandSeries series, final long watermark) {
            this.series = series;
            this.watermark = watermark;
        }

        void weeks(final int weeks, final ToIntFunction<LocalDate> countOfDay) {
            for (LocalDate day = FIRST_MONDAY; day.isBefore(FIRST_MONDAY.plusWeeks(weeks)); day = day.plusDays(1)) {
                day(day, countOfDay.applyAsInt(day));
            }
        }

        void day(final LocalDate day, final int count) {
            for (int i = 0; i < count; i++) {
                access(day, i);
            }
        }

        void access(final LocalDate day, final int i) {
            final long time = at(day, LocalTime.of(9, 0).plusMinutes(i));
            watermark = Math.max(watermark, time);
            final List<BandSignal> result = rule.onAccess(series, time, watermark);
            assertThat(result).as("access at %s is not late", Instant.ofEpochMilli(time)).isNotNull();
            signals.addAll(result);
        }

        List<BandSignal> closeAt(final long newWatermark) {
            watermark = Math.max(watermark, newWatermark);
            return rule.closeUpTo(series, rule.lastClosable(watermark));
        }
    }
}
