package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The square-root count model of the lesson bands, on its own: what breaches, what does not, and what the history teaches it. */
class BandModelTest {

    private static final BandSettings SQRT = new BandSettings(Duration.ofDays(1), 4.0, 8, 4, 10, true, BandSettings.Model.SQRT, 10,
            CampusCalendar.none());
    private static final BandRule RULE = new BandRule(SQRT, ZoneId.of("America/Chicago"), Duration.ofMinutes(10));

    @Test
    void shouldFlagTheDropToZeroOfABusyLesson() {
        // given eight same weekdays of about 30 hits
        final BandStats stats = BandStats.of(new int[] {28, 31, 30, 33, 27, 30, 29, 32}, 8, SQRT);

        // then a day of none breaches, far below its band
        assertThat(stats.judged()).isTrue();
        assertThat(stats.expected()).isBetween(29.0, 31.0);
        assertThat(stats.lower()).isGreaterThan(5);
        assertThat(stats.isDrop(0)).isTrue();
        assertThat(stats.score(0)).isLessThan(-6);
        assertThat(stats.isDrop(20)).isFalse();
    }

    @Test
    void shouldNotFlagTheDropToZeroOfARareLesson() {
        // given a lesson of about two hits a day (judged, with the minimum mean lowered to let it be)
        final BandSettings lenient = new BandSettings(Duration.ofDays(1), 4.0, 8, 4, 0, true, BandSettings.Model.SQRT, 0, CampusCalendar.none());
        final BandStats stats = BandStats.of(new int[] {2, 3, 1, 2, 2, 4, 1, 2}, 8, lenient);

        // then none is no breach: on the square-root scale zero lies within its band
        assertThat(stats.judged()).isTrue();
        assertThat(stats.isDrop(0)).isFalse();
        assertThat(stats.lower()).isZero();
    }

    @Test
    void shouldKeepTinyLessonsQuietWithTheMinimumEffect() {
        // given a lesson of about twelve hits, judged with a narrow band (k = 2)
        final int[] history = {12, 11, 13, 12, 12, 11, 13, 12};
        final BandSettings noEffect = new BandSettings(Duration.ofDays(1), 2.0, 8, 4, 10, true, BandSettings.Model.SQRT, 0, CampusCalendar.none());
        final BandSettings tenHits = new BandSettings(Duration.ofDays(1), 2.0, 8, 4, 10, true, BandSettings.Model.SQRT, 10, CampusCalendar.none());

        // then 21 hits breaches the model's band alone, not with the 10-hit minimum effect on top; 23 breaches both
        assertThat(BandStats.of(history, 8, noEffect).isSpike(21)).isTrue();
        assertThat(BandStats.of(history, 8, tenHits).isSpike(21)).isFalse();
        assertThat(BandStats.of(history, 8, tenHits).isSpike(23)).isTrue();
        assertThat(BandStats.of(history, 8, tenHits).upper()).isGreaterThanOrEqualTo(12 + 10);
        assertThat(BandStats.of(history, 8, tenHits).lower()).isLessThanOrEqualTo(12 - 10);
    }

    @Test
    void shouldWidenTheBandOfAnOverDispersedHistory() {
        // given two series of the same mean, one Poisson-like, one swinging between 15 and 45
        final BandFit steady = BandFit.ofHistory(new int[] {29, 31, 30, 28, 32, 30, 31, 29}, 8);
        final BandFit swinging = BandFit.ofHistory(new int[] {15, 45, 20, 40, 18, 44, 16, 42}, 8);

        // then the swinging one's spread on the square-root scale is wider, the steady one's the Poisson ½
        final BandStats steadyBand = BandStats.of(steady, 1, SQRT);
        final BandStats swingingBand = BandStats.of(swinging, 1, SQRT);
        assertThat(steadyBand.spread()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(swingingBand.spread()).isGreaterThan(1.0);
        assertThat(swingingBand.upper() - swingingBand.lower()).isGreaterThan(2 * (steadyBand.upper() - steadyBand.lower()));
        assertThat(swingingBand.isSpike(60)).isFalse();
        assertThat(steadyBand.isSpike(60)).isTrue();
    }

    @Test
    void shouldNotLetOnePastSpikeShiftTheExpectedCount() {
        // given a steady history with one spike of 300 among it
        final BandStats stats = BandStats.of(new int[] {30, 31, 300, 29, 30, 32, 28, 30}, 8, SQRT);

        // then the expected count stays near 30 (trimmed), and a normal day is no drop
        assertThat(stats.expected()).isBetween(29.0, 31.5);
        assertThat(stats.isDrop(30)).isFalse();
        assertThat(stats.isDrop(0)).isTrue();
    }

    @Test
    void shouldJudgeALessonInProportionToItsProgramsActivity() {
        // given a lesson of about 30 hits a day
        final BandFit fit = BandFit.ofHistory(new int[] {28, 31, 30, 33, 27, 30, 29, 32}, 8);

        // then on a day its program reads a tenth of its usual, 3 hits is as expected, and 30 a spike
        final BandStats quiet = BandStats.of(fit, 0.1, SQRT);
        assertThat(quiet.expected()).isBetween(2.9, 3.1);
        assertThat(quiet.isDrop(3)).isFalse();
        assertThat(quiet.isSpike(30)).isTrue();
        assertThat(BandStats.of(fit, 1, SQRT).isSpike(30)).isFalse();
    }

    @Test
    void shouldFlagEveryInjectedDropOfABusySeriesAndHardlyAnyNormalDayOnSimulatedPoissonTraffic() {
        // given 40 series of 15 to 60 hits a day, Poisson, over a year of daily windows, a drop to zero every 50th day of each
        final SplittableRandom random = new SplittableRandom(7);
        int injected = 0;
        int found = 0;
        int falseAlarms = 0;
        for (int s = 0; s < 40; s++) {
            final double mean = 15 + random.nextDouble() * 45;
            final BandSeries series = RULE.newSeries();
            final long day0 = RULE.windowOf(java.time.Instant.parse("2019-01-07T12:00:00Z").toEpochMilli());
            final List<BandSignal> signals = new ArrayList<>();
            for (int d = 0; d < 365; d++) {
                final boolean drop = d >= 70 && d % 50 == 0;
                final long count = drop ? 0 : poisson(random, mean);
                injected += drop ? 1 : 0;
                final long window = day0 + d;
                series.openWindows = new long[] {window};
                series.openCounts = new long[] {count};
                series.spiked = new boolean[] {false};
                for (final BandSignal signal : RULE.closeUpTo(series, window)) {
                    if (!signal.spike() && signal.windowIndex() == window && drop) {
                        found++;
                    } else if (signal.first()) {
                        falseAlarms++;
                    }
                }
            }
        }

        // then every drop is found; normal days breach about as often as a 4-spread band allows (a handful in 14,000)
        assertThat(found).isEqualTo(injected);
        assertThat(falseAlarms).isLessThanOrEqualTo(5);
    }

    private static long poisson(final SplittableRandom random, final double mean) {
        final double limit = Math.exp(-mean);
        long k = 0;
        double p = random.nextDouble();
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
