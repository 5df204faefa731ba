package io.curriculum.detector.detect;

import java.util.Arrays;

/**
 * What a series' history says about its next window of one weekly phase: the raw mean and σ of the phase's history (the
 * Bollinger band's), the {@code level} (the series' typical count at the program's usual activity) and the
 * over-dispersion {@code alpha} of the square-root scale, pooled over every phase.
 *
 * <p>The level is a trimmed mean (the highest and lowest of five or more windows left out), so one past spike or drop
 * does not shift what is expected for weeks. On the square-root scale y = √(x + 3/8) a Poisson count has variance ¼.
 * Page views are over-dispersed in two ways: they come in sessions (a count of clustered hits has its variance multiplied,
 * {@code phi}, whatever its mean) and the readers change from week to week (a negative binomial's variance μ + αμ²). On
 * the square-root scale both give a variance of about (phi + alpha·μ) / 4, fit by least squares to the squared residuals
 * of every remembered window (against its phase's level scaled by the program's activity that window, when recorded),
 * each residual clipped at ±{@value #CLIP} so a past anomaly does not widen the band for weeks; phi is at least 1.
 *
 * <p>{@code recent} is how the newest window of every phase (the last week, for daily windows) compares with those
 * phases' levels: a program's own series is judged at that recent level, so when a cohort starts or ends the program's
 * band follows within a week instead of alarming for the eight weeks its history takes to turn over.
 */
public record BandFit(int historyWindows, double mean, double stddev, double level, double phi, double alpha, double recent) {

    static final double CLIP = 2.5;
    private static final double OFFSET = 3.0 / 8.0;

    /** The fit of {@code phase} of a series. */
    static BandFit of(final BandSeries series, final int phase) {
        // each phase's history and level once: the residuals, the recent level and the band all use them
        final int phases = series.phases();
        final int[][] histories = new int[phases][];
        final double[] levels = new double[phases];
        for (int p = 0; p < phases; p++) {
            histories[p] = series.orderedHistory(p);
            levels[p] = trimmedMean(histories[p]);
        }
        final int[] counts = histories[phase];
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

        // the squared residuals of every remembered window, against the expected count they came with
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int terms = 0;
        int freedom = 0;
        for (int p = 0; p < phases; p++) {
            final int[] c = histories[p];
            if (c.length < 2) {
                continue;
            }
            final int[] factors = series.orderedContext(p);
            final double phaseLevel = levels[p];
            final double rootLevel = root(phaseLevel);
            final double correction = (double) c.length / (c.length - 1);
            for (int i = 0; i < c.length; i++) {
                final double expected = factors[i] < 0 ? phaseLevel : phaseLevel * (factors[i] / (double) BandSeries.FACTOR_SCALE);
                final double r = Math.max(-CLIP, Math.min(CLIP, root(c[i]) - (factors[i] < 0 ? rootLevel : root(expected))));
                final double squared = r * r * correction;
                sx += expected;
                sy += squared;
                sxx += expected * expected;
                sxy += expected * squared;
                terms++;
            }
            freedom += c.length - 1;
        }
        // variance on the square-root scale = (phi + alpha·μ) / 4, fit by least squares, phi at least 1 (Poisson), alpha at least 0
        double phi = 1;
        double alpha = 0;
        if (freedom > 0) {
            final double meanX = sx / terms;
            final double meanY = sy / terms;
            final double varX = sxx / terms - meanX * meanX;
            final double slope = varX > 1e-9 ? (sxy / terms - meanX * meanY) / varX : 0;
            alpha = Math.max(0, 4 * slope);
            phi = 4 * meanY - alpha * meanX;
            if (phi < 1) {
                phi = 1;
                alpha = meanX > 0 ? Math.max(0, (4 * meanY - 1) / meanX) : 0;
            }
        }
        // the newest window of every phase (the last week, for daily windows) against those phases' levels
        double latest = 0;
        double totalLevels = 0;
        for (int p = 0; p < phases; p++) {
            final int[] c = histories[p];
            if (c.length > 0) {
                latest += c[c.length - 1];
                totalLevels += levels[p];
            }
        }
        final double recent = totalLevels > 0 ? latest / totalLevels : 1;
        return new BandFit(n, mean, stddev, levels[phase], phi, alpha, recent);
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
