package io.curriculum.detector.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a live detector can say about one key from the state it keeps ({@link ActivityState}): the requests of its longest
 * burst window, each burst scale's window ending at the key's newest request against the scale's threshold, the distinct
 * pages of the longest crawl window, and any open episode. Pure: the analysts' API builds it from the stores. Unlike
 * {@code explain FILE}, it has no requests older than the longest burst window, hence no busiest window of the past and no
 * crawl slots per scale. {@code over}: the scale's threshold is met now (for the user scope, the rule also needs two addresses).
 */
public record ActivitySummary(Instant lastSeen, int burstWindowRequests, List<ScaleNow> burst, int crawlDistinctPages,
                              OpenEpisode openBurst, OpenEpisode openCrawl) {

    /** One burst scale's window ending at the key's newest request, against its threshold. */
    public record ScaleNow(Duration window, int minDistinctPages, int minPagesPerUser, int distinctPages, int users,
                           int minPagesOfAUser, boolean over) {
    }

    /** An episode still open: when it started and opened, what it holds so far. */
    public record OpenEpisode(Instant start, Instant detectedAt, long requests, int distinctPages) {
    }

    /** The summary of {@code state} under {@code rules}. */
    public static ActivitySummary of(final ActivityState state, final MachineSpeedRules rules) {
        final List<ScaleNow> scales = new ArrayList<>();
        for (final PaceScale scale : rules.burst().scales()) {
            final long from = state.lastSeen - scale.window().toMillis();
            final Set<String> pages = new HashSet<>();
            final Map<Long, Set<String>> perUser = new HashMap<>();
            for (final Hit hit : state.burstWindow) {
                if (hit.time() > from) {
                    pages.add(hit.lesson());
                    perUser.computeIfAbsent(hit.userId() == null ? -1L : hit.userId(), u -> new HashSet<>()).add(hit.lesson());
                }
            }
            final int fewest = perUser.values().stream().mapToInt(Set::size).min().orElse(0);
            final int users = perUser.size();
            // as the rule counts (users.add(null) counts one user without an id); the user scope's two addresses are not checked here
            final boolean over = pages.size() >= scale.minDistinctPages() && pages.size() >= (long) scale.minPagesPerUser() * users;
            scales.add(new ScaleNow(scale.window(), scale.minDistinctPages(), scale.minPagesPerUser(), pages.size(), users, fewest, over));
        }
        return new ActivitySummary(state.lastSeen == ActivityState.NEVER ? null : Instant.ofEpochMilli(state.lastSeen), state.burstWindow.size(),
                scales, state.crawlPages.size(), open(state.burst), open(state.crawl));
    }

    private static OpenEpisode open(final Episode episode) {
        return episode == null ? null : new OpenEpisode(Instant.ofEpochMilli(episode.start()), Instant.ofEpochMilli(episode.detectedAt()),
                episode.requests(), episode.distinctPages());
    }
}
