package io.curriculum.detector.detect;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The sustained-crawl rule: its {@link CrawlScale}s (an hour, several hours), shortest first, and the share of
 * requests in a window that must be new pages ({@code minNewPageShare}, distinct lessons / lesson requests): a
 * crawler walks on, a reader comes back to what was read. An episode ends after one whole longest window below
 * every threshold.
 */
public record CrawlSettings(List<CrawlScale> scales, double minNewPageShare) {

    public CrawlSettings {
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("the crawl rule needs at least one scale");
        }
        if (!(minNewPageShare >= 0 && minNewPageShare <= 1)) {
            throw new IllegalArgumentException("the new-page share must lie between 0 and 1");
        }
        scales = scales.stream().sorted(Comparator.comparing(CrawlScale::window)).toList();
    }

    /** One scale only, without a new-page share. */
    public CrawlSettings(final Duration window, final int minDistinctPages, final int slots, final int minActiveSlots) {
        this(List.of(new CrawlScale(window, minDistinctPages, slots, minActiveSlots)), 0);
    }

    public Duration longest() {
        return scales.get(scales.size() - 1).window();
    }
}
