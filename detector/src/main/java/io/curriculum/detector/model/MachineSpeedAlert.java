package io.curriculum.detector.model;

import io.curriculum.detector.detect.BurstSettings;
import io.curriculum.detector.detect.CrawlScale;
import io.curriculum.detector.detect.CrawlSettings;
import io.curriculum.detector.detect.Episode;
import io.curriculum.detector.detect.PaceScale;
import io.curriculum.detector.detect.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A machine-speed alert, value of the suspicious-IP topic. Emitted with {@code status = open} by the record
 * that crosses a threshold, and once more with {@code status = closed} and the whole episode's evidence
 * when the episode ends; both under the same deterministic {@code alertId} (the record key). One alert per
 * episode and scope: the same actor may be named once per scope ({@code ip}, {@code client}, {@code user}).
 *
 * @param rule           {@code burst} (many distinct pages within seconds to minutes) or {@code crawl} (a steady walk
 *                       with few repeats over one or several hours)
 * @param scope          {@code ip} (everything from the address), {@code client} (one user on one address) or
 *                       {@code user} (one user on every address)
 * @param ip             the address; for the user scope, the address of the request that crossed the threshold
 * @param userId         the user, for the client and user scopes; null for the ip scope
 * @param ips            every address seen in the evidence, sorted
 * @param threshold      the threshold of the scale that fired first, as configured
 * @param secondsPerPage the pace seen: seconds per distinct page (open: in the window that crossed; closed: over the
 *                       whole episode), to compare with {@code threshold.secondsPerPage}
 * @param windowStart    event time of the first request of the evidence (open: the window that crossed; closed: the episode)
 * @param windowEnd      event time of the last request of the evidence
 * @param detectedAt     event time of the request that crossed the threshold
 * @param requests       lesson-page requests in the evidence
 * @param distinctPages  distinct lesson pages in the evidence
 * @param roles          the users' roles on the days of the evidence ({@code student}, {@code alumnus}, {@code staff},
 *                       {@code before-start}, {@code unknown})
 * @param samplePaths    up to ten of the evidence's lessons, in the order first seen
 * @param ruleId         the rule that fired, as the rules topic keys it: {@code machine-speed}
 * @param ruleVersion    the version of that rule in force ({@code version} of its record on the rules topic; 0: the configuration's values)
 * @param simulated      true when the rule's record in force is marked {@code simulate}: the alert went to the simulation topic only
 */
public record MachineSpeedAlert(
        String alertId,
        String rule,
        String scope,
        String status,
        String ip,
        Long userId,
        List<String> ips,
        Threshold threshold,
        double secondsPerPage,
        Instant windowStart,
        Instant windowEnd,
        Instant detectedAt,
        long requests,
        int distinctPages,
        List<Long> userIds,
        List<CohortSeen> cohorts,
        List<String> roles,
        List<String> samplePaths,
        String ruleId,
        long ruleVersion,
        boolean simulated) implements AlertRecord {

    /** The rule id every machine-speed alert names. */
    public static final String RULE_ID = "machine-speed";

    /**
     * The alert of one signal of the machine-speed rules for {@code key} of {@code scope}: the open alert with the evidence
     * of the window that crossed, or the closing update with the whole episode's. The topology forwards it; tools that run
     * the rules over a file ({@code explain}) build theirs with the same code, so both carry the same evidence.
     *
     * @param ip      the address the key names; null for the user scope, whose alert names the address that crossed
     * @param userId  the user the key names; null for the ip scope
     * @param cohorts the episode's cohorts ({@link Episode#cohorts()}) with their names and programs
     */
    public static MachineSpeedAlert of(final String scope, final String key, final String ip, final Long userId, final Signal signal,
                                       final BurstSettings burst, final CrawlSettings crawl, final List<CohortSeen> cohorts) {
        final Episode episode = signal.episode();
        final String alertId = new MachineSpeedAlertId(signal.rule().label(), scope, key, Instant.ofEpochMilli(episode.keyTime())).text();
        return new MachineSpeedAlert(alertId, signal.rule().label(), scope, signal.open() ? "open" : "closed",
                ip == null ? episode.detectedIp() : ip, userId,
                episode.ips(), Threshold.of(signal, burst, crawl), signal.open() ? episode.secondsPerPageAtOpen() : episode.secondsPerPage(),
                Instant.ofEpochMilli(episode.start()), Instant.ofEpochMilli(episode.end()), Instant.ofEpochMilli(episode.detectedAt()),
                episode.requests(), episode.distinctPages(), episode.users(), cohorts, episode.roles(), episode.sample(), RULE_ID, 0, false);
    }

    /** The same alert raised by version {@code version} of its rule, simulated or live. */
    public MachineSpeedAlert withRule(final long version, final boolean simulate) {
        return new MachineSpeedAlert(alertId, rule, scope, status, ip, userId, ips, threshold, secondsPerPage, windowStart, windowEnd, detectedAt,
                requests, distinctPages, userIds, cohorts, roles, samplePaths, ruleId, version, simulate);
    }

    /**
     * The threshold of the scale that fired, as configured: {@code minDistinctPages} distinct pages within {@code window}
     * ({@code secondsPerPage} = window / pages, the reading pace it stands for); {@code minPagesPerUser} only for the
     * burst rule; {@code slots}, {@code minActiveSlots} and {@code minNewPageShare} only for the crawl rule.
     */
    public record Threshold(Duration window, int minDistinctPages, double secondsPerPage, Integer minPagesPerUser,
                            Integer slots, Integer minActiveSlots, Double minNewPageShare) {

        /** The threshold of the scale that opened the signal's episode (the longest, if the settings have fewer scales now). */
        public static Threshold of(final Signal signal, final BurstSettings burst, final CrawlSettings crawl) {
            final int index = signal.episode().scale();
            if (signal.rule() == Signal.Rule.BURST) {
                final PaceScale scale = burst.scales().get(Math.min(index, burst.scales().size() - 1));
                return new Threshold(scale.window(), scale.minDistinctPages(), scale.secondsPerPage(), scale.minPagesPerUser(),
                        null, null, null);
            }
            final CrawlScale scale = crawl.scales().get(Math.min(index, crawl.scales().size() - 1));
            return new Threshold(scale.window(), scale.minDistinctPages(), scale.secondsPerPage(), null, scale.slots(),
                    scale.minActiveSlots(), crawl.minNewPageShare());
        }
    }
}
