package io.curriculum.detector.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine-speed rules over one key's {@link ActivityState}, pure and clock-free (event time only).
 * <ul>
 *   <li><b>burst</b>, at every {@link PaceScale} at once: at least {@code minDistinctPages} distinct lessons within
 *   the scale's window, and at least {@code minPagesPerUser} per user seen there. Distinct lessons, not requests: a
 *   classroom behind one NAT address opens the same few pages, and a page view that also logs its images counts once
 *   (assets are not lessons); per user, because a crowded lab may open many pages, but only a few each.</li>
 *   <li><b>crawl</b>, at every {@link CrawlScale}: at least {@code minDistinctPages} distinct lessons within the
 *   scale's window, with requests in at least {@code minActiveSlots} of its slots, and new pages making at least
 *   {@code minNewPageShare} of the requests: a steady walk with few repeats, which no reader keeps.</li>
 * </ul>
 * A rule opens an episode on the request that crosses the threshold of one of its scales ({@link Signal#open()},
 * the shortest scale crossed named in the episode), extends it while the key stays over a threshold, and closes it
 * once the key is past its last hot request by the episode gap (burst) or by the window of the scale that fired
 * (crawl).
 *
 * <p>Time is per key. A request is judged against the key's own newest request, never against another key's: on a
 * request, episodes close by the key's own time; a request older than every window of the key, or at or before the
 * end of an episode the rule has already closed for the key, is late for the key and changes nothing. Only
 * {@link #onIdle} (a key that went quiet) takes an outside clock, which the caller advances from its input alone,
 * and it waits a grace longer, so rows of a key that trail the others within the grace still meet their episode.
 */
public final class MachineSpeedRules {

    private static final Comparator<Hit> BY_TIME = Comparator.comparingLong(Hit::time);

    private final BurstSettings burst;
    private final CrawlSettings crawl;
    private final long graceMillis;

    public MachineSpeedRules(final BurstSettings burst, final CrawlSettings crawl, final Duration grace) {
        this.burst = burst;
        this.crawl = crawl;
        this.graceMillis = grace.toMillis();
    }

    public BurstSettings burst() {
        return burst;
    }

    public CrawlSettings crawl() {
        return crawl;
    }

    /**
     * How long a key without an open episode must stay idle before its state can be dropped: every window and gap
     * has passed, and a row arriving within the grace could no longer have met any of it. The longest crawl window
     * sets it for the scopes the crawl rule watches: each hour of it is an hour every client's state is kept.
     */
    public long retentionMillis(final Scope scope) {
        final long burstRetention = burst.longest().toMillis() + burst.episodeGap().toMillis();
        return graceMillis + (scope.watchesCrawl() ? Math.max(burstRetention, crawl.longest().toMillis()) : burstRetention);
    }

    /** Applies one request to a key of {@code scope}; returns the episodes it closed (an earlier one that went quiet) and opened. */
    public List<Signal> onHit(final ActivityState state, final Hit hit, final Scope scope) {
        final List<Signal> signals = new ArrayList<>(1);
        state.lastSeen = Math.max(state.lastSeen, hit.time());
        closeQuiet(state, state.lastSeen, signals);
        burst(state, hit, scope, signals);
        if (scope.watchesCrawl()) {
            crawl(state, hit, scope, signals);
        }
        return signals;
    }

    /**
     * Closes episodes of a key that sent nothing more, by {@code clock} (the newest event time of all keys): only once
     * the clock is past the episode's quiet time by the grace as well, since the key's own rows may trail the newest
     * by up to the grace and still belong to the episode. Returns their signals. The state may be dropped afterwards
     * if {@link #isExpired} says so.
     */
    public List<Signal> onIdle(final ActivityState state, final long clock) {
        final List<Signal> signals = new ArrayList<>(0);
        closeQuiet(state, clock - graceMillis, signals);
        return signals;
    }

    public boolean isExpired(final ActivityState state, final long clock, final Scope scope) {
        return !state.hasOpenEpisode() && clock - state.lastSeen > retentionMillis(scope);
    }

    /**
     * Closes the episodes that went quiet. The requests up to a closed episode's end belong to it and leave the
     * windows with it, and later rows up to that end are late for the key, so the same burst cannot cross again
     * and open a second episode.
     */
    private void closeQuiet(final ActivityState state, final long now, final List<Signal> signals) {
        if (state.burst != null && now - state.burst.lastHot > burst.episodeGap().toMillis()) {
            final long end = state.burst.end;
            signals.add(new Signal(Signal.Rule.BURST, false, state.burst));
            state.burst = null;
            state.burstClosedUpTo = Math.max(state.burstClosedUpTo, end);
            state.burstWindow.removeIf(h -> h.time() <= end);
        }
        if (state.crawl != null && now - state.crawl.lastHot > crawlScale(state.crawl).window().toMillis()) {
            final long end = state.crawl.end;
            signals.add(new Signal(Signal.Rule.CRAWL, false, state.crawl));
            state.crawl = null;
            state.crawlClosedUpTo = Math.max(state.crawlClosedUpTo, end);
            state.crawlPagesFloor = dropUpTo(state.crawlPages, end);
            state.crawlIpsFloor = dropUpTo(state.crawlIps, end);
            for (int s = 0; s < Math.min(state.slotIds.length, crawl.scales().size()); s++) {
                if (state.slotIds[s] == null) {
                    continue;
                }
                final long lastSlot = Math.floorDiv(end, slotMillis(s));
                for (int i = 0; i < state.slotIds[s].length; i++) {
                    if (state.slotIds[s][i] <= lastSlot) {
                        state.slotCounts[s][i] = 0;
                    }
                }
            }
        }
    }

    private void burst(final ActivityState state, final Hit hit, final Scope scope, final List<Signal> signals) {
        final long newest = state.lastSeen;
        final long oldest = newest - burst.longest().toMillis();
        if (hit.time() <= state.burstClosedUpTo || hit.time() <= oldest) {
            return;
        }
        final List<Hit> window = state.burstWindow;
        window.add(hit);
        window.removeIf(h -> h.time() <= oldest);
        for (int s = 0; s < burst.scales().size(); s++) {
            final PaceScale scale = burst.scales().get(s);
            final long cutoff = newest - scale.window().toMillis();
            if (hit.time() <= cutoff || !hot(window, cutoff, scale, scope.minAddresses())) {
                continue;
            }
            if (state.burst == null) {
                state.burst = new Episode();
                window.stream().filter(h -> h.time() > cutoff).sorted(BY_TIME).forEach(state.burst::add);
                signals.add(state.burst.open(Signal.Rule.BURST, hit, s));
            } else {
                state.burst.extend(hit);
            }
            return;
        }
    }

    /** Whether the requests after {@code cutoff} cross the scale's threshold from enough addresses; counts before it hashes. */
    private static boolean hot(final List<Hit> window, final long cutoff, final PaceScale scale, final int minAddresses) {
        int requests = 0;
        for (final Hit h : window) {
            if (h.time() > cutoff) {
                requests++;
            }
        }
        if (requests < scale.minDistinctPages()) {
            return false;
        }
        final Set<String> distinct = new HashSet<>();
        final Set<Long> users = new HashSet<>();
        final Set<String> addresses = new HashSet<>();
        for (final Hit h : window) {
            if (h.time() > cutoff) {
                distinct.add(h.lesson());
                users.add(h.userId());
                if (minAddresses > 1) {
                    addresses.add(h.ip());
                }
            }
        }
        return distinct.size() >= scale.minDistinctPages() && distinct.size() >= (long) scale.minPagesPerUser() * users.size()
                && (minAddresses <= 1 || addresses.size() >= minAddresses);
    }

    /** The crawl scale that opened the episode; the longest if the settings changed since and it is gone. */
    private CrawlScale crawlScale(final Episode episode) {
        return crawl.scales().get(Math.min(episode.scale, crawl.scales().size() - 1));
    }

    private long slotMillis(final int scale) {
        return Math.max(1, crawl.scales().get(scale).slot().toMillis());
    }

    private void crawl(final ActivityState state, final Hit hit, final Scope scope, final List<Signal> signals) {
        final long oldest = state.lastSeen - crawl.longest().toMillis();
        if (hit.time() <= state.crawlClosedUpTo || hit.time() <= oldest) {
            return;
        }
        final long[] requests = new long[crawl.scales().size()];
        final int[] active = new int[crawl.scales().size()];
        countInSlots(state, hit, requests, active);
        remember(state, hit, scope, oldest);
        for (int s = 0; s < crawl.scales().size(); s++) {
            final CrawlScale scale = crawl.scales().get(s);
            final long cutoff = state.lastSeen - scale.window().toMillis();
            if (hit.time() <= cutoff || active[s] < scale.minActiveSlots()) {
                continue;
            }
            // the pages remembered bound the distinct pages of any window: most requests need no count
            final int remembered = state.crawlPages.size();
            if (remembered < scale.minDistinctPages() || remembered < crawl.minNewPageShare() * requests[s]) {
                continue;
            }
            final long distinct = state.crawlPagesFloor > cutoff ? remembered : state.crawlPages.values().stream().filter(seen -> seen > cutoff).count();
            if (distinct < scale.minDistinctPages() || distinct < crawl.minNewPageShare() * requests[s]
                    || scope.minAddresses() > 1 && state.crawlIps.values().stream().filter(seen -> seen > cutoff).count() < scope.minAddresses()) {
                continue;
            }
            if (state.crawl == null) {
                state.crawl = crawlEpisode(state, hit, cutoff, requests[s]);
                signals.add(state.crawl.open(Signal.Rule.CRAWL, hit, s));
            } else {
                state.crawl.extend(hit);
            }
            return;
        }
    }

    /** Counts the request in every scale's ring of slots; fills each scale's requests and active slots in its window. */
    private void countInSlots(final ActivityState state, final Hit hit, final long[] requests, final int[] active) {
        final int scales = crawl.scales().size();
        if (state.slotIds.length != scales) {
            state.slotIds = new long[scales][];
            state.slotCounts = new int[scales][];
        }
        for (int s = 0; s < scales; s++) {
            final int slots = crawl.scales().get(s).slots();
            if (state.slotIds[s] == null || state.slotIds[s].length != slots) {
                state.slotIds[s] = new long[slots];
                Arrays.fill(state.slotIds[s], ActivityState.NEVER);
                state.slotCounts[s] = new int[slots];
            }
            final long slot = Math.floorDiv(hit.time(), slotMillis(s));
            final int position = (int) Math.floorMod(slot, (long) slots);
            if (state.slotIds[s][position] <= slot) {
                if (state.slotIds[s][position] != slot) {
                    state.slotIds[s][position] = slot;
                    state.slotCounts[s][position] = 0;
                }
                state.slotCounts[s][position]++;
            }
            final long newestSlot = Math.floorDiv(state.lastSeen, slotMillis(s));
            for (int i = 0; i < slots; i++) {
                if (state.slotIds[s][i] > newestSlot - slots && state.slotCounts[s][i] > 0) {
                    active[s]++;
                    requests[s] += state.slotCounts[s][i];
                }
            }
        }
    }

    /** Remembers the request's page (and address, for scopes that need several) over the longest crawl window. */
    private static void remember(final ActivityState state, final Hit hit, final Scope scope, final long oldest) {
        state.crawlPages.merge(Lessons.hash(hit.lesson()), hit.time(), Math::max);
        state.crawlPagesFloor = Math.min(state.crawlPagesFloor, hit.time());
        if (state.crawlPagesFloor <= oldest) {
            state.crawlPagesFloor = dropUpTo(state.crawlPages, oldest);
        }
        if (scope.minAddresses() > 1 && hit.ip() != null) {
            state.crawlIps.merge(hit.ip(), hit.time(), Math::max);
            state.crawlIpsFloor = Math.min(state.crawlIpsFloor, hit.time());
            if (state.crawlIpsFloor <= oldest) {
                state.crawlIpsFloor = dropUpTo(state.crawlIps, oldest);
            }
        }
        state.recentLessons.remove(hit.lesson());
        state.recentLessons.addLast(hit.lesson());
        while (state.recentLessons.size() > Episode.SAMPLE_SIZE) {
            state.recentLessons.removeFirst();
        }
    }

    /** Drops the entries last seen at or before {@code oldest}; returns the oldest time left ({@link Long#MAX_VALUE} if none). */
    private static long dropUpTo(final Map<?, Long> lastSeen, final long oldest) {
        long floor = Long.MAX_VALUE;
        for (final Iterator<Long> seen = lastSeen.values().iterator(); seen.hasNext(); ) {
            final long time = seen.next();
            if (time <= oldest) {
                seen.remove();
            } else {
                floor = Math.min(floor, time);
            }
        }
        return floor;
    }

    /** The evidence of a crawl that just crossed: the pages and addresses of the window after {@code cutoff}. */
    private static Episode crawlEpisode(final ActivityState state, final Hit hit, final long cutoff, final long requests) {
        final Episode episode = new Episode();
        episode.start = hit.time();
        episode.end = state.lastSeen;
        episode.requests = requests;
        for (final Map.Entry<Long, Long> page : state.crawlPages.entrySet()) {
            if (page.getValue() > cutoff) {
                episode.pages.add(page.getKey());
                episode.start = Math.min(episode.start, page.getValue());
            }
        }
        for (final Map.Entry<String, Long> ip : state.crawlIps.entrySet()) {
            if (ip.getValue() > cutoff) {
                episode.ips.add(ip.getKey());
            }
        }
        episode.sample.addAll(state.recentLessons);
        episode.see(hit);
        return episode;
    }
}
