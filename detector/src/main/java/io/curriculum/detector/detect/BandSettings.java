package io.curriculum.detector.detect;

import java.time.Duration;

/**
 * The Bollinger band of per-lesson access counts: a window's count is compared with mean ± k·σ of the
 * {@code history} preceding windows of the same weekly phase (when {@code weekly} and the window divides a
 * week), judged only with at least {@code minHistory} of them and a mean of at least {@code minMean}.
 */
public record BandSettings(Duration window, double k, int history, int minHistory, double minMean, boolean weekly) {

    private static final Duration WEEK = Duration.ofDays(7);

    /** How many phases a week has: 7 for daily windows, 1 when the rhythm is ignored or does not divide. */
    public int phases() {
        if (!weekly || WEEK.toMillis() % window.toMillis() != 0) {
            return 1;
        }
        return (int) (WEEK.toMillis() / window.toMillis());
    }
}
