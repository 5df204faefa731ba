package io.curriculum.detector.detect;

import java.time.Duration;

/**
 * One time scale of the burst rule: at least {@code minDistinctPages} distinct lessons within {@code window}, and at
 * least {@code minPagesPerUser} of them per user seen there (a crowded lab behind one address opens many pages, but
 * few each). The threshold is a reading pace: {@link #secondsPerPage()} is the time per new page a reader would have
 * to keep up over the whole window.
 */
public record PaceScale(Duration window, int minDistinctPages, int minPagesPerUser) {

    public PaceScale {
        if (window.isNegative() || window.isZero() || minDistinctPages <= 0 || minPagesPerUser <= 0) {
            throw new IllegalArgumentException("a pace scale needs a positive window, page count and pages per user");
        }
    }

    public double secondsPerPage() {
        return window.toMillis() / 1000.0 / minDistinctPages;
    }
}
