package io.curriculum.app.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a replay did: rows read and bad lines, what the detector made of the rows, the alerts by rule and scope,
 * the most suspicious addresses, and how fast it went ({@code rowsPerSecond}: rows produced divided by the time
 * from the first row produced to the last result read back).
 */
public record ReplaySummary(
        String replayId,
        Path history,
        long linesRead,
        long badLines,
        long rowsProduced,
        long rowsProcessed,
        Map<String, Long> deadLettered,
        long duplicatesAbsorbed,
        Map<String, Long> alertsByKind,
        List<SuspiciousIp> topIps,
        Duration elapsed,
        double rowsPerSecond,
        Path alertsOut,
        long alertsWritten) {

    /** An address with machine-speed alerts: how many distinct alerts, the most distinct lessons in one, its users. */
    public record SuspiciousIp(String ip, int alerts, int maxDistinctPages, List<String> rules, List<Long> userIds) {
    }

    /** The same summary without an alerts file: when the file written was a temporary one, not the user's. */
    public ReplaySummary withoutAlertsFile() {
        return new ReplaySummary(replayId, history, linesRead, badLines, rowsProduced, rowsProcessed, deadLettered, duplicatesAbsorbed,
                alertsByKind, topIps, elapsed, rowsPerSecond, null, 0);
    }

    public long deadLetteredTotal() {
        return deadLettered.values().stream().mapToLong(Long::longValue).sum();
    }

    public long alertsTotal() {
        return alertsByKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
