package io.curriculum.detector.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine-speed rules remember of one key (an IP, or one user on one IP): the requests of the
 * burst window, the pages and per-slot request counts of the crawl window, and any open episode.
 * Bounded: entries older than their window are dropped on every request.
 */
public final class ActivityState {

    long lastSeen = Long.MIN_VALUE;
    final List<Hit> burstWindow = new ArrayList<>();
    Episode burst;

    /** Crawl window: page hash → last request time. Empty for keys the crawl rule does not watch. */
    final Map<Long, Long> crawlPages = new HashMap<>();
    /** Ring of the crawl window's slots: the slot number each position holds, and its request count. */
    long[] slotIds = new long[0];
    int[] slotCounts = new int[0];
    /** The latest distinct lessons, a sample for the crawl evidence. */
    final ArrayDeque<String> recentLessons = new ArrayDeque<>();
    Episode crawl;

    public long lastSeen() {
        return lastSeen;
    }

    public boolean hasOpenEpisode() {
        return burst != null || crawl != null;
    }
}
