package io.curriculum.detector.model;

import java.time.Instant;

/**
 * A Bollinger-band breach of one lesson's access count in one window, value of the lesson-band topic.
 * A spike is emitted ({@code status = open}) by the access that lifts the count above the upper bound and
 * updated with the final count when the window closes ({@code status = closed}); a drop is known only when
 * the window closes. {@code historyWindows} preceding windows of the same weekly phase gave {@code mean} and
 * {@code stddev}; the bounds are mean ± k·max(σ, √mean).
 */
public record BandAlert(
        String alertId,
        String rule,
        String status,
        int programId,
        String program,
        String lesson,
        Instant windowStart,
        Instant windowEnd,
        long count,
        double mean,
        double stddev,
        double lower,
        double upper,
        double k,
        int historyWindows,
        Instant detectedAt) {
}
