package io.curriculum.detector.detect;

import java.time.Duration;

/**
 * The sustained-crawl rule: at least {@code minDistinctPages} distinct lesson pages within {@code window},
 * with requests in at least {@code minActiveSlots} of the window's {@code slots} equal slots (a steady pace,
 * not one burst). An episode ends after one whole window below the threshold.
 */
public record CrawlSettings(Duration window, int minDistinctPages, int slots, int minActiveSlots) {

    public Duration slot() {
        return window.dividedBy(slots);
    }
}
