package io.curriculum.tools.explain;

import io.curriculum.detector.config.Durations;
import io.curriculum.detector.detect.BurstSettings;
import io.curriculum.detector.detect.CrawlScale;
import io.curriculum.detector.detect.CrawlSettings;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.PaceScale;
import io.curriculum.detector.detect.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peaks of one key's requests at every scale of the machine-speed rules: for each scale, the window with the most
 * distinct pages and the window that came closest to its threshold ({@link ScalePeak}). A window is what the rules judge on a request: every request of the
 * key after the request's time minus the scale's window (for a crawl's slots, the scale's last {@code slots} slots),
 * measured as the rules measure it (distinct lessons, users, addresses, active slots, the new-page share). The windows
 * are counted over all the key's requests, also those the rules let go once an episode closed, so right after an
 * episode a window may show a crossing that opened nothing ({@code crossed}).
 *
 * <p>Pure: it takes the requests in the order the rules got them (event time) and returns numbers; sliding windows
 * keep it linear in the requests per scale.
 */
final class PacePeaks {

    private PacePeaks() {
    }

    /**
     * The peak of every scale the scope watches (burst scales, then crawl scales for the scopes that watch crawls), over
     * the windows that end at a request in {@code from..to} (inclusive).
     */
    static List<ScalePeak> of(final String key, final List<Hit> hits, final Scope scope, final BurstSettings burst,
                              final CrawlSettings crawl, final long from, final long to) {
        final List<ScalePeak> peaks = new ArrayList<>();
        for (final PaceScale scale : burst.scales()) {
            peaks.add(burstPeak(key, hits, scope, scale, from, to));
        }
        if (scope.watchesCrawl()) {
            for (final CrawlScale scale : crawl.scales()) {
                peaks.add(crawlPeak(key, hits, scope, scale, crawl.minNewPageShare(), from, to));
            }
        }
        return peaks;
    }

    /** Counts of the values in a sliding window. */
    private static final class Counts<T> {
        private final Map<T, Integer> counts = new HashMap<>();

        void add(final T value) {
            counts.merge(value, 1, Integer::sum);
        }

        void remove(final T value) {
            counts.computeIfPresent(value, (k, n) -> n == 1 ? null : n - 1);
        }

        int distinct() {
            return counts.size();
        }
    }

    /** The ratios of one window and the smallest of them. */
    private record Ratios(double closeness, String limitedBy) {

        static Ratios of(final double[] ratios, final String[] names) {
            int smallest = 0;
            for (int i = 1; i < ratios.length; i++) {
                if (ratios[i] < ratios[smallest]) {
                    smallest = i;
                }
            }
            return new Ratios(ratios[smallest], names[smallest]);
        }
    }

    private static ScalePeak burstPeak(final String key, final List<Hit> hits, final Scope scope, final PaceScale scale,
                                       final long from, final long to) {
        final long window = scale.window().toMillis();
        final int minAddresses = scope.minAddresses();
        final Counts<String> lessons = new Counts<>();
        final Counts<Long> users = new Counts<>();
        final Counts<String> ips = new Counts<>();
        ScalePeak.Window busiest = null;
        ScalePeak.Window closest = null;
        long newest = Long.MIN_VALUE;
        int left = 0;
        for (int i = 0; i < hits.size(); i++) {
            final Hit hit = hits.get(i);
            newest = Math.max(newest, hit.time());
            lessons.add(hit.lesson());
            users.add(hit.userId());
            ips.add(hit.ip());
            while (hits.get(left).time() <= newest - window) {
                final Hit gone = hits.get(left++);
                lessons.remove(gone.lesson());
                users.remove(gone.userId());
                ips.remove(gone.ip());
            }
            if (hit.time() < from || hit.time() > to) {
                continue;
            }
            final int distinct = lessons.distinct();
            final double perUser = (double) distinct / users.distinct();
            final Ratios ratios = minAddresses > 1
                    ? Ratios.of(new double[] {(double) distinct / scale.minDistinctPages(), perUser / scale.minPagesPerUser(),
                            (double) ips.distinct() / minAddresses}, new String[] {"distinct pages", "pages per user", "addresses"})
                    : Ratios.of(new double[] {(double) distinct / scale.minDistinctPages(), perUser / scale.minPagesPerUser()},
                            new String[] {"distinct pages", "pages per user"});
            final ScalePeak.Window current = new ScalePeak.Window(key, Instant.ofEpochMilli(hits.get(left).time()), Instant.ofEpochMilli(hit.time()),
                    distinct, i - left + 1, users.distinct(), perUser, ips.distinct(), null, null, ratios.closeness(), ratios.limitedBy());
            busiest = busiest == null || busier(current, busiest) ? current : busiest;
            closest = closest == null || closer(current, closest) ? current : closest;
        }
        return new ScalePeak("burst", Durations.format(scale.window()), scale.window(), scale.minDistinctPages(), scale.minPagesPerUser(),
                null, null, null, minAddresses, verdict(closest), List.of(), busiest, closest);
    }

    private static ScalePeak crawlPeak(final String key, final List<Hit> hits, final Scope scope, final CrawlScale scale,
                                       final double minNewPageShare, final long from, final long to) {
        final long window = scale.window().toMillis();
        final long slotMillis = Math.max(1, scale.slot().toMillis());
        final int minAddresses = scope.minAddresses();
        final Counts<String> lessons = new Counts<>();
        final Counts<Long> users = new Counts<>();
        final Counts<String> ips = new Counts<>();
        final Counts<Long> slots = new Counts<>();
        ScalePeak.Window busiest = null;
        ScalePeak.Window closest = null;
        long newest = Long.MIN_VALUE;
        int left = 0;
        int slotLeft = 0;
        for (int i = 0; i < hits.size(); i++) {
            final Hit hit = hits.get(i);
            newest = Math.max(newest, hit.time());
            lessons.add(hit.lesson());
            users.add(hit.userId());
            ips.add(hit.ip());
            slots.add(Math.floorDiv(hit.time(), slotMillis));
            while (hits.get(left).time() <= newest - window) {
                final Hit gone = hits.get(left++);
                lessons.remove(gone.lesson());
                users.remove(gone.userId());
                ips.remove(gone.ip());
            }
            final long oldestSlot = Math.floorDiv(newest, slotMillis) - scale.slots();
            while (Math.floorDiv(hits.get(slotLeft).time(), slotMillis) <= oldestSlot) {
                slots.remove(Math.floorDiv(hits.get(slotLeft++).time(), slotMillis));
            }
            if (hit.time() < from || hit.time() > to) {
                continue;
            }
            final int distinct = lessons.distinct();
            final long requests = i - slotLeft + 1;
            final double share = (double) distinct / requests;
            final List<Double> values = new ArrayList<>(List.of((double) distinct / scale.minDistinctPages(),
                    (double) slots.distinct() / scale.minActiveSlots()));
            final List<String> names = new ArrayList<>(List.of("distinct pages", "active slots"));
            if (minNewPageShare > 0) {
                values.add(share / minNewPageShare);
                names.add("new-page share");
            }
            if (minAddresses > 1) {
                values.add((double) ips.distinct() / minAddresses);
                names.add("addresses");
            }
            final Ratios ratios = Ratios.of(values.stream().mapToDouble(Double::doubleValue).toArray(), names.toArray(String[]::new));
            final ScalePeak.Window current = new ScalePeak.Window(key, Instant.ofEpochMilli(hits.get(left).time()), Instant.ofEpochMilli(hit.time()),
                    distinct, requests, users.distinct(), (double) distinct / users.distinct(), ips.distinct(), slots.distinct(), share,
                    ratios.closeness(), ratios.limitedBy());
            busiest = busiest == null || busier(current, busiest) ? current : busiest;
            closest = closest == null || closer(current, closest) ? current : closest;
        }
        return new ScalePeak("crawl", Durations.format(scale.window()), scale.window(), scale.minDistinctPages(), null, scale.slots(),
                scale.minActiveSlots(), minNewPageShare, minAddresses, verdict(closest), List.of(), busiest, closest);
    }

    /** A window is busier with more distinct pages; at a tie, when it is closer to the threshold (the earlier at a full tie). */
    static boolean busier(final ScalePeak.Window window, final ScalePeak.Window than) {
        return window.distinctPages() > than.distinctPages() || window.distinctPages() == than.distinctPages() && window.closeness() > than.closeness();
    }

    /** A window is closer when its smallest ratio is larger; at a tie, when it holds more distinct pages (the earlier at a full tie). */
    static boolean closer(final ScalePeak.Window window, final ScalePeak.Window than) {
        return window.closeness() > than.closeness() || window.closeness() == than.closeness() && window.distinctPages() > than.distinctPages();
    }

    private static String verdict(final ScalePeak.Window closest) {
        if (closest == null) {
            return ScalePeak.NO_REQUESTS;
        }
        return closest.closeness() >= 1 ? ScalePeak.CROSSED : ScalePeak.NOT_REACHED;
    }
}
