package io.curriculum.detector.detect;

import java.time.Duration;

/**
 * The burst rule: at least {@code minDistinctPages} distinct lesson pages within {@code window}, and at least
 * {@code minPagesPerUser} of them per user seen in the window. An episode ends after {@code episodeGap} below
 * the threshold.
 */
public record BurstSettings(Duration window, int minDistinctPages, int minPagesPerUser, Duration episodeGap) {
}
