package io.curriculum.detector.detect;

/**
 * The band of one window from the preceding windows of its phase: mean and population standard deviation,
 * and bounds mean ± k·max(σ, √mean) — σ is floored at the Poisson noise √mean so a perfectly regular
 * series does not alarm on one extra visit. {@code judged} is false with too little history or traffic.
 */
public record BandStats(double mean, double stddev, double lower, double upper, int historyWindows, boolean judged) {

    public static BandStats of(final int[] history, final int filled, final BandSettings settings) {
        if (filled == 0) {
            return new BandStats(0, 0, 0, 0, 0, false);
        }
        double sum = 0;
        for (int i = 0; i < filled; i++) {
            sum += history[i];
        }
        final double mean = sum / filled;
        double squares = 0;
        for (int i = 0; i < filled; i++) {
            squares += (history[i] - mean) * (history[i] - mean);
        }
        final double stddev = Math.sqrt(squares / filled);
        final double width = settings.k() * Math.max(stddev, Math.sqrt(mean));
        final boolean judged = filled >= settings.minHistory() && mean >= settings.minMean();
        return new BandStats(mean, stddev, mean - width, mean + width, filled, judged);
    }

    public boolean isSpike(final long count) {
        return judged && count > upper;
    }

    public boolean isDrop(final long count) {
        return judged && count < lower;
    }
}
