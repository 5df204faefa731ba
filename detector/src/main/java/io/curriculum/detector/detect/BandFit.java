package io.curriculum.detector.detect;

import java.util.Arrays;

/**
 * What a series' history says about its next window of one weekly phase: the raw mean and σ of the phase's history (the
 * Bollinger band's), the {@code level} (the series' typical count at the program's usual activity) and the
 * over-dispersion {@code alpha} of the square-root scale, pooled over every phase.
 *
 * <p>The level is a trimmed mean (the highest and lowest of five or more windows left out), so one past spike or drop
 * does not shift what is expected for weeks. On the square-root scale y = √(x + 3/8) a Poisson count has variance ¼;
 * an over-dispersed one (negative binomial, variance μ + αμ²) about ¼ + αμ/4. {@code alpha} is fit to the residuals of
 * every remembered window against its phase's level scaled by the program's activity that window (when recorded), each
 * residual clipped at ±{@value #CLIP} so a past anomaly does not widen the band for weeks.
 */
public record BandFit(int historyWindows, double mean, double stddev, double level, double alpha) {

    static final double CLIP = 2.5;
    private static final double OFFSET = 3.0 / 8.0;

    /** The fit of {@code phase} of a series. */
    static BandFit of(final BandSeries series, final int phase) {
        final int[] counts = series.orderedHistory(phase);
        final int n = counts.length;
        double sum = 0;
        for (final int c : counts) {
            sum += c;
        }
        final double mean = n == 0 ? 0 : sum / n;
        double squares = 0;
        for (final int c : counts) {
            squares += (c - mean) * (c - mean);
        }
        final double stddev = n == 0 ? 0 : Math.sqrt(squares / n);

        double residuals = 0;
        double expectedSum = 0;
        int terms = 0;
        int freedom = 0;
        for (int p = 0; p < series.phases(); p++) {
            final int[] c = series.orderedHistory(p);
            if (c.length < 2) {
                continue;
            }
            final int[] factors = series.orderedContext(p);
            final double phaseLevel = trimmedMean(c);
            for (int i = 0; i < c.length; i++) {
                final double expected = phaseLevel * (factors[i] < 0 ? 1.0 : factors[i] / (double) BandSeries.FACTOR_SCALE);
                final double r = Math.max(-CLIP, Math.min(CLIP, root(c[i]) - root(expected)));
                residuals += r * r;
                expectedSum += expected;
                terms++;
            }
            freedom += c.length - 1;
        }
        double alpha = 0;
        if (freedom > 0 && expectedSum > 0) {
            alpha = Math.max(0, 4 * (residuals / freedom - 0.25) / (expectedSum / terms));
        }
        return new BandFit(n, mean, stddev, trimmedMean(counts), alpha);
    }

    /** The fit of one phase's history alone: for planning and for tests. */
    static BandFit ofHistory(final int[] history, final int filled) {
        final BandSeries series = new BandSeries(1, Math.max(1, filled));
        for (int i = 0; i < filled; i++) {
            series.push(0, history[i], BandSeries.UNKNOWN);
        }
        return of(series, 0);
    }

    /** Anscombe's square root: the scale on which a Poisson count's noise is the same, ½, whatever its mean. */
    static double root(final double count) {
        return Math.sqrt(Math.max(0, count) + OFFSET);
    }

    /** The count whose {@link #root} is {@code y}. */
    static double unroot(final double y) {
        return y * y - OFFSET;
    }

    private static double trimmedMean(final int[] counts) {
        if (counts.length == 0) {
            return 0;
        }
        final int[] sorted = counts.clone();
        Arrays.sort(sorted);
        final int trim = sorted.length >= 5 ? 1 : 0;
        double sum = 0;
        for (int i = trim; i < sorted.length - trim; i++) {
            sum += sorted[i];
        }
        return sum / (sorted.length - 2 * trim);
    }
}
