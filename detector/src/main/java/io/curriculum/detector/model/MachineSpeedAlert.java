package io.curriculum.detector.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A machine-speed alert, value of the suspicious-IP topic. Emitted with {@code status = open} by the record
 * that crosses the threshold, and once more with {@code status = closed} and the whole episode's evidence
 * when the episode ends; both under the same deterministic {@code alertId} (the record key).
 *
 * @param rule          {@code burst} (many distinct pages within seconds) or {@code crawl} (a steady walk over an hour)
 * @param scope         {@code ip} (everything from the address) or {@code client} (one user on one address)
 * @param userId        the user, for the client scope; null for the ip scope
 * @param windowStart   event time of the first request of the evidence (open: the window that crossed; closed: the episode)
 * @param windowEnd     event time of the last request of the evidence
 * @param detectedAt    event time of the request that crossed the threshold
 * @param requests      lesson-page requests in the evidence
 * @param distinctPages distinct lesson pages in the evidence
 * @param roles         the users' roles on the days of the evidence ({@code student}, {@code alumnus}, {@code staff},
 *                      {@code before-start}, {@code unknown})
 */
public record MachineSpeedAlert(
        String alertId,
        String rule,
        String scope,
        String status,
        String ip,
        Long userId,
        Threshold threshold,
        Instant windowStart,
        Instant windowEnd,
        Instant detectedAt,
        long requests,
        int distinctPages,
        List<Long> userIds,
        List<CohortSeen> cohorts,
        List<String> roles,
        List<String> samplePaths) {

    /**
     * The rule's threshold as configured: {@code minPagesPerUser} only for the burst rule, {@code minActiveSlots}
     * and {@code slots} only for the crawl rule.
     */
    public record Threshold(int minDistinctPages, Duration window, Integer minPagesPerUser, Integer minActiveSlots, Integer slots) {
    }
}
