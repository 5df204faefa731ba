package io.curriculum.detector.detect;

import java.time.Duration;

/**
 * One time scale of the sustained-crawl rule: at least {@code minDistinctPages} distinct lessons within {@code window},
 * with requests in at least {@code minActiveSlots} of the window's {@code slots} equal slots (a steady walk, not one
 * burst). {@link #secondsPerPage()} is the time per new page a reader would have to keep up over the whole window.
 */
public record CrawlScale(Duration window, int minDistinctPages, int slots, int minActiveSlots) {

    public CrawlScale {
        if (window.isNegative() || window.isZero() || minDistinctPages <= 0 || slots <= 0 || minActiveSlots <= 0 || minActiveSlots > slots) {
            throw new IllegalArgumentException("a crawl scale needs a positive window, page count and slots, and no more active slots than slots");
        }
    }

    public Duration slot() {
        return window.dividedBy(slots);
    }

    public double secondsPerPage() {
        return window.toMillis() / 1000.0 / minDistinctPages;
    }
}
