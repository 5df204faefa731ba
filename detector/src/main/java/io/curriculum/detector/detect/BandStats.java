package io.curriculum.detector.detect;

/**
 * The band one window is judged against: the expected count, the bounds, and what they came from ({@code model}, the
 * raw {@code mean} and {@code stddev} of the preceding windows of its phase, the {@code spread} the half-width is
 * {@code k} of). A count above {@code upper} is a spike, below {@code lower} a drop; both bounds lie at least
 * {@code minEffect} hits from {@code expected}, so a tiny lesson never breaches on a hit or two. {@code judged} is
 * false with too little history or traffic (then nothing breaches).
 *
 * <ul>
 *   <li>{@link BandSettings.Model#SQRT}: on the scale y = √(x + 3/8), the band is √(expected + 3/8) ± k·s with
 *   s = √((φ + α·expected)/4) ({@link BandFit}: ½ is Poisson noise, φ and α the series' over-dispersion); the expected value is
 *   the series' level times {@code programFactor}, the program's activity that window (a lesson is judged in proportion
 *   to how much its program read that day); {@code score} is the count's distance from the expected value in spreads on
 *   that scale.</li>
 *   <li>{@link BandSettings.Model#BOLLINGER}: mean ± k·max(σ, √mean) on raw counts; σ is floored at the Poisson noise
 *   √mean so a perfectly regular series does not alarm on one extra visit.</li>
 * </ul>
 */
public record BandStats(BandSettings.Model model, double expected, double programFactor, double mean, double stddev, double spread,
                        double lower, double upper, double k, int historyWindows, boolean judged, double phi, double alpha, double minEffect) {

    /** A window that is not judged at all (a calendar day, or no history). */
    public static BandStats unjudged(final BandSettings.Model model) {
        return new BandStats(model, 0, 1, 0, 0, 0, 0, 0, 0, 0, false, 1, 0, 0);
    }

    /** The band of one phase's history alone, absolute (no program counts): for planning and tests. */
    public static BandStats of(final int[] history, final int filled, final BandSettings settings) {
        return of(BandFit.ofHistory(history, filled), 1, settings);
    }

    /**
     * The band of a window from the fit of its phase; {@code programFactor}, the program's activity in that window (1 as
     * usual, 0.1 on a day it reads a tenth of its usual; negative: not known, taken as 1), scales a lesson's level (the
     * Bollinger band ignores it).
     */
    static BandStats of(final BandFit fit, final double programFactor, final BandSettings settings) {
        final boolean judged = fit.historyWindows() > 0 && fit.historyWindows() >= settings.minHistory() && fit.mean() >= settings.minMean();
        final double k = settings.k();
        if (settings.model() == BandSettings.Model.BOLLINGER) {
            final double spread = Math.max(fit.stddev(), Math.sqrt(fit.mean()));
            final double upper = Math.max(fit.mean() + k * spread, fit.mean() + settings.minEffect());
            final double lower = Math.min(fit.mean() - k * spread, fit.mean() - settings.minEffect());
            return new BandStats(settings.model(), fit.mean(), 1, fit.mean(), fit.stddev(), spread, lower, upper, k, fit.historyWindows(), judged,
                    1, 0, settings.minEffect());
        }
        final double factor = programFactor < 0 ? 1 : programFactor;
        final double expected = fit.level() * factor;
        final double spread = Math.sqrt((fit.phi() + fit.alpha() * expected) / 4);
        final double center = BandFit.root(expected);
        final double upper = Math.max(BandFit.unroot(center + k * spread), expected + settings.minEffect());
        final double low = center - k * spread;
        final double lower = Math.max(0, Math.min(low > 0 ? BandFit.unroot(low) : 0, expected - settings.minEffect()));
        return new BandStats(settings.model(), expected, factor, fit.mean(), fit.stddev(), spread, lower, upper, k, fit.historyWindows(), judged,
                fit.phi(), fit.alpha(), settings.minEffect());
    }

    public boolean isSpike(final long count) {
        return judged && count > upper;
    }

    public boolean isDrop(final long count) {
        return judged && count < lower;
    }

    /**
     * Whether a window continues a drop episode: its own count lies below the expected value by at least half the band's
     * half-width, and the episode's total with it ({@code episodeCount} hits where {@code episodeExpected} were expected)
     * lies below the band of that total, with the minimum effect. A lesson that stays low for days is one episode even when
     * each later day alone would be within its band: the evidence adds up. Only with the square-root model.
     */
    public boolean continuesDrop(final long count, final long episodeCount, final double episodeExpected) {
        if (!judged || model != BandSettings.Model.SQRT || score(count) > -k / 2 || episodeExpected - episodeCount < minEffect) {
            return false;
        }
        final double low = BandFit.root(episodeExpected) - k * Math.sqrt((phi + alpha * episodeExpected) / 4);
        return low > 0 && BandFit.root(episodeCount) < low;
    }

    /** How far {@code count} lies from the expected value, in spreads (on the square-root scale for {@code sqrt}); signed. */
    public double score(final long count) {
        if (spread == 0) {
            return 0;
        }
        if (model == BandSettings.Model.BOLLINGER) {
            return (count - expected) / spread;
        }
        return (BandFit.root(count) - BandFit.root(expected)) / spread;
    }
}
