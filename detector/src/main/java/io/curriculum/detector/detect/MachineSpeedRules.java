package io.curriculum.detector.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine-speed rules over one key's {@link ActivityState}, pure and clock-free (event time only).
 * <ul>
 *   <li><b>burst</b>: at least {@code minDistinctPages} distinct lessons within the burst window, and at least
 *   {@code minPagesPerUser} per user seen there. Distinct lessons, not requests: a classroom behind one NAT
 *   address opens the same few pages, and a page view that also logs its images counts once (assets are not
 *   lessons); per user, because a crowded lab may open many pages, but only one or two each.</li>
 *   <li><b>crawl</b>: at least {@code minDistinctPages} distinct lessons within the crawl window, with
 *   requests in at least {@code minActiveSlots} of its slots: a steady walk no reader keeps.</li>
 * </ul>
 * A rule opens an episode on the request that crosses its threshold ({@link Signal#open()}), extends it
 * while the key stays over the threshold, and closes it once the watermark (the newest event time the
 * caller has seen) is past its last hot request by the episode gap (burst) or a whole crawl window (crawl).
 * Closing by the watermark in {@link #onHit} and {@link #onIdle} alike, and keeping idle state for every
 * window, gap and the grace, makes the outcome independent of when {@code onIdle} runs.
 */
public final class MachineSpeedRules {

    private final BurstSettings burst;
    private final CrawlSettings crawl;
    private final long burstWindow;
    private final long crawlWindow;
    private final long crawlSlot;
    private final long graceMillis;

    public MachineSpeedRules(final BurstSettings burst, final CrawlSettings crawl, final Duration grace) {
        this.burst = burst;
        this.crawl = crawl;
        this.graceMillis = grace.toMillis();
        this.burstWindow = burst.window().toMillis();
        this.crawlWindow = crawl.window().toMillis();
        this.crawlSlot = Math.max(1, crawl.slot().toMillis());
    }

    /**
     * How long a key must stay idle before its state can be dropped: every window and gap has passed, and a
     * row arriving within the grace could no longer have met any of it.
     */
    public long retentionMillis(final boolean watchCrawl) {
        final long burstRetention = burstWindow + burst.episodeGap().toMillis();
        return graceMillis + (watchCrawl ? Math.max(burstRetention, 2 * crawlWindow) : burstRetention);
    }

    /**
     * Applies one request, {@code watermark} being the newest event time seen including this request;
     * returns the episodes it closed (an earlier one that went quiet) and opened.
     */
    public List<Signal> onHit(final ActivityState state, final Hit hit, final long watermark, final boolean watchCrawl) {
        final List<Signal> signals = new ArrayList<>(1);
        state.lastSeen = Math.max(state.lastSeen, hit.time());
        closeQuiet(state, Math.max(watermark, hit.time()), signals);
        burst(state, hit, signals);
        if (watchCrawl) {
            crawl(state, hit, signals);
        }
        return signals;
    }

    /**
     * Closes episodes that have been quiet long enough by {@code watermark} (the newest event time seen);
     * returns their signals. The state may be dropped afterwards if {@link #isExpired} says so.
     */
    public List<Signal> onIdle(final ActivityState state, final long watermark) {
        final List<Signal> signals = new ArrayList<>(0);
        closeQuiet(state, watermark, signals);
        return signals;
    }

    public boolean isExpired(final ActivityState state, final long watermark, final boolean watchCrawl) {
        return !state.hasOpenEpisode() && watermark - state.lastSeen > retentionMillis(watchCrawl);
    }

    /**
     * Closes the episodes that went quiet. The requests up to a closed episode's end belong to it and leave the
     * windows with it, so a late row of the same burst cannot make the window cross again and open a second
     * episode.
     */
    private void closeQuiet(final ActivityState state, final long now, final List<Signal> signals) {
        if (state.burst != null && now - state.burst.lastHot > burst.episodeGap().toMillis()) {
            final long end = state.burst.end;
            signals.add(new Signal(Signal.Rule.BURST, false, state.burst));
            state.burst = null;
            state.burstWindow.removeIf(h -> h.time() <= end);
        }
        if (state.crawl != null && now - state.crawl.lastHot > crawlWindow) {
            final long end = state.crawl.end;
            signals.add(new Signal(Signal.Rule.CRAWL, false, state.crawl));
            state.crawl = null;
            state.crawlPages.values().removeIf(seen -> seen <= end);
            final long lastSlot = Math.floorDiv(end, crawlSlot);
            for (int i = 0; i < state.slotIds.length; i++) {
                if (state.slotIds[i] <= lastSlot) {
                    state.slotCounts[i] = 0;
                }
            }
        }
    }

    private void burst(final ActivityState state, final Hit hit, final List<Signal> signals) {
        final List<Hit> window = state.burstWindow;
        window.add(hit);
        long newest = Long.MIN_VALUE;
        for (final Hit h : window) {
            newest = Math.max(newest, h.time());
        }
        final long cutoff = newest - burstWindow;
        window.removeIf(h -> h.time() <= cutoff);
        if (!window.contains(hit)) {
            return;
        }
        final Set<String> distinct = new HashSet<>();
        final Set<Long> users = new HashSet<>();
        for (final Hit h : window) {
            distinct.add(h.lesson());
            users.add(h.userId());
        }
        if (distinct.size() < burst.minDistinctPages() || distinct.size() < (long) burst.minPagesPerUser() * users.size()) {
            return;
        }
        if (state.burst == null) {
            state.burst = new Episode();
            window.stream().sorted((a, b) -> Long.compare(a.time(), b.time())).forEach(state.burst::add);
            signals.add(state.burst.open(Signal.Rule.BURST, hit));
        } else {
            state.burst.extend(hit);
        }
    }

    private void crawl(final ActivityState state, final Hit hit, final List<Signal> signals) {
        if (state.slotIds.length != crawl.slots()) {
            state.slotIds = new long[crawl.slots()];
            Arrays.fill(state.slotIds, Long.MIN_VALUE);
            state.slotCounts = new int[crawl.slots()];
        }
        final long slot = Math.floorDiv(hit.time(), crawlSlot);
        final int position = (int) Math.floorMod(slot, (long) crawl.slots());
        if (state.slotIds[position] != slot) {
            if (state.slotIds[position] > slot) {
                return;
            }
            state.slotIds[position] = slot;
            state.slotCounts[position] = 0;
        }
        state.slotCounts[position]++;

        final long hash = Lessons.hash(hit.lesson());
        state.crawlPages.merge(hash, hit.time(), Math::max);
        final long cutoff = state.lastSeen - crawlWindow;
        final Iterator<Map.Entry<Long, Long>> pages = state.crawlPages.entrySet().iterator();
        while (pages.hasNext()) {
            if (pages.next().getValue() <= cutoff) {
                pages.remove();
            }
        }
        state.recentLessons.remove(hit.lesson());
        state.recentLessons.addLast(hit.lesson());
        while (state.recentLessons.size() > Episode.SAMPLE_SIZE) {
            state.recentLessons.removeFirst();
        }

        final long newestSlot = Math.floorDiv(state.lastSeen, crawlSlot);
        int activeSlots = 0;
        long requests = 0;
        for (int i = 0; i < state.slotIds.length; i++) {
            if (state.slotIds[i] > newestSlot - crawl.slots() && state.slotCounts[i] > 0) {
                activeSlots++;
                requests += state.slotCounts[i];
            }
        }
        final boolean hot = state.crawlPages.size() >= crawl.minDistinctPages() && activeSlots >= crawl.minActiveSlots();
        if (!hot) {
            return;
        }
        if (state.crawl == null) {
            final Episode episode = new Episode();
            long first = hit.time();
            for (final long seen : state.crawlPages.values()) {
                first = Math.min(first, seen);
            }
            episode.start = first;
            episode.end = state.lastSeen;
            episode.requests = requests;
            episode.pages.addAll(state.crawlPages.keySet());
            episode.sample.addAll(state.recentLessons);
            episode.see(hit);
            state.crawl = episode;
            signals.add(episode.open(Signal.Rule.CRAWL, hit));
        } else {
            state.crawl.extend(hit);
        }
    }
}
