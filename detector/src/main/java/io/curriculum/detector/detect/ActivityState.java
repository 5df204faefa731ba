package io.curriculum.detector.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine-speed rules remember of one key (an IP, one user on one IP, or one user on every IP): the requests
 * of the longest burst window, the pages and per-slot request counts of every crawl window, any open episode, and up
 * to when each rule has judged and closed an episode (a row at or before that time is late for the key and changes
 * nothing). Time is the key's own: windows are cut at the key's newest request, not at anyone else's.
 * Bounded: entries older than their window are dropped on every request.
 */
public final class ActivityState {

    static final long NEVER = Long.MIN_VALUE;

    long lastSeen = NEVER;
    final List<Hit> burstWindow = new ArrayList<>();
    Episode burst;
    long burstClosedUpTo = NEVER;

    /** Longest crawl window: page hash → last request time. Empty for keys the crawl rule does not watch. */
    final Map<Long, Long> crawlPages = new HashMap<>();
    /** Longest crawl window: address → last request time, for scopes that need several addresses. */
    final Map<String, Long> crawlIps = new HashMap<>();
    /**
     * At or below the oldest time in {@link #crawlPages} / {@link #crawlIps} ({@link #NEVER}: not known), so that a request
     * scans them for entries to drop only when there can be one. Not stored: a decoded state starts at {@link #NEVER}.
     */
    long crawlPagesFloor = NEVER;
    long crawlIpsFloor = NEVER;
    /** Per crawl scale, a ring of the window's slots: the slot number each position holds, and its request count. */
    long[][] slotIds = new long[0][];
    int[][] slotCounts = new int[0][];
    /** The latest distinct lessons, a sample for the crawl evidence. */
    final ArrayDeque<String> recentLessons = new ArrayDeque<>();
    Episode crawl;
    long crawlClosedUpTo = NEVER;

    public long lastSeen() {
        return lastSeen;
    }

    public boolean hasOpenEpisode() {
        return burst != null || crawl != null;
    }
}
