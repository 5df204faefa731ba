package io.curriculum.detector.detect;

import java.time.Duration;
import java.util.Locale;

/**
 * How the lesson bands judge a window's count: against the {@code history} preceding windows of the same weekly phase
 * (when {@code weekly} and the window divides a week), judged only with at least {@code minHistory} of them and a mean
 * of at least {@code minMean}, with a band {@code k} spreads wide of the {@link Model model}'s expected count and at
 * least {@code minEffect} hits from it. Days of the {@code calendar} are neither judged nor learnt from.
 */
public record BandSettings(Duration window, double k, int history, int minHistory, double minMean, boolean weekly,
                           Model model, double minEffect, CampusCalendar calendar) {

    private static final Duration WEEK = Duration.ofDays(7);

    /** The count model a window is judged with. */
    public enum Model {
        /**
         * Counts on the square-root scale (Anscombe's √(x + 3/8), where Poisson noise has a spread of ½ whatever the
         * mean), with the over-dispersion estimated from the series' history, and a lesson's expected count its share
         * of the program's traffic that window: drops to zero of a busy lesson breach, of a rare one cannot.
         */
        SQRT,
        /** The seed analysis's band on raw counts, absolute: mean ± k·max(σ, √mean) of the history. */
        BOLLINGER;

        public static Model parse(final String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The seed analysis's band on every day, with no minimum effect: the settings of the first detector. */
    public BandSettings(final Duration window, final double k, final int history, final int minHistory, final double minMean,
                        final boolean weekly) {
        this(window, k, history, minHistory, minMean, weekly, Model.BOLLINGER, 0, CampusCalendar.none());
    }

    /** How many phases a week has: 7 for daily windows, 1 when the rhythm is ignored or does not divide. */
    public int phases() {
        if (!weekly || WEEK.toMillis() % window.toMillis() != 0) {
            return 1;
        }
        return (int) (WEEK.toMillis() / window.toMillis());
    }
}
