package io.curriculum.tools.explain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one scope's keys met one scale of a machine-speed rule in a range: the scale's threshold, the busiest window (most
 * distinct pages) and the closest window (nearest to crossing), each ending at a request of a key of the scope.
 *
 * <p>{@code verdict} is {@code fired} when an alert opened at this scale in the range ({@code alertIds}), {@code crossed}
 * when a window crossed the threshold but opened nothing (an episode another scale opened was running, or had just closed
 * and let its requests go), else {@code not reached}; {@code no requests} when the scope had no lesson request in the
 * range (the windows are then null).
 *
 * @param minAddresses distinct addresses a window must span at this scope (2 for the user scope)
 */
public record ScalePeak(String rule, String scale, Duration window, int minDistinctPages, Integer minPagesPerUser, Integer slots,
                        Integer minActiveSlots, Double minNewPageShare, int minAddresses, String verdict, List<String> alertIds,
                        Window busiest, Window closest) {

    public static final String FIRED = "fired";
    public static final String CROSSED = "crossed";
    public static final String NOT_REACHED = "not reached";
    public static final String NO_REQUESTS = "no requests";

    /**
     * One window of a key, as the rules measure it when a request arrives: the requests after the request's time minus the
     * scale's window (for a crawl's slots: its last {@code slots} slots).
     *
     * <p>{@code closeness} is the smallest of the rule's ratios there: distinct pages over {@code minDistinctPages}; for
     * {@code burst}, pages per user over {@code minPagesPerUser}; for {@code crawl}, active slots over {@code minActiveSlots}
     * and the new-page share over {@code minNewPageShare}; at the user scope, addresses over {@code minAddresses}. At 1 or
     * more the window crosses the threshold; {@code limitedBy} names the smallest ratio.
     *
     * @param key      the key of the scope (for the client scope, which user on which address)
     * @param start    the window's first request; {@code end} its last, the request it was judged on
     * @param requests requests in the window (crawl: in its active slots, what the new-page share divides by)
     */
    public record Window(String key, Instant start, Instant end, int distinctPages, long requests, int users, double pagesPerUser,
                         int addresses, Integer activeSlots, Double newPageShare, double closeness, String limitedBy) {
    }

    /** This peak with a verdict and the ids of the alerts opened at its scale. */
    ScalePeak judged(final String newVerdict, final List<String> ids) {
        return new ScalePeak(rule, scale, window, minDistinctPages, minPagesPerUser, slots, minActiveSlots, minNewPageShare, minAddresses,
                newVerdict, List.copyOf(ids), busiest, closest);
    }

    /** The busier and the closer windows of this peak and {@code other} (of another key of the same scope and scale). */
    ScalePeak merge(final ScalePeak other) {
        if (busiest == null) {
            return other;
        }
        if (other.busiest == null) {
            return this;
        }
        final Window busier = PacePeaks.busier(other.busiest, busiest) ? other.busiest : busiest;
        final Window closer = PacePeaks.closer(other.closest, closest) ? other.closest : closest;
        return new ScalePeak(rule, scale, window, minDistinctPages, minPagesPerUser, slots, minActiveSlots, minNewPageShare, minAddresses,
                closer.closeness() >= 1 ? CROSSED : NOT_REACHED, alertIds, busier, closer);
    }
}
