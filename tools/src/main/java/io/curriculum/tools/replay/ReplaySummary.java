package io.curriculum.tools.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a replay did: lines read and what became of each (accepted + rejected by the reader + dead-lettered by the
 * detector + blank or header = lines read), bad lines by reason, what the detector made of the rows, the alerts by rule and scope,
 * the most suspicious addresses, and how fast it went ({@code rowsPerSecond}: rows produced divided by the time
 * from the first row produced to the last result read back). {@code rowsAlreadyProduced}: the rows an earlier run of the
 * same replay id had produced when this run resumed it (0 for a replay from the start); the throughput is this run's
 * rows, and {@code duplicatesAbsorbed} and {@code rowsHeldForClockSkew} count what this run's detector did.
 */
public record ReplaySummary(
        String replayId,
        Path history,
        long linesRead,
        long linesSkipped,
        long badLines,
        Map<String, Long> badLinesByReason,
        long rowsProduced,
        long rowsProcessed,
        Map<String, Long> deadLettered,
        long duplicatesAbsorbed,
        long rowsHeldForClockSkew,
        Map<String, Long> alertsByKind,
        List<SuspiciousIp> topIps,
        Duration sortTime,
        Duration elapsed,
        double rowsPerSecond,
        Path alertsOut,
        long alertsWritten,
        Path rejectsOut,
        long rejectsWritten,
        long rowsAlreadyProduced) {

    /** An address with machine-speed alerts: how many distinct alerts, the most distinct lessons in one, its users. */
    public record SuspiciousIp(String ip, int alerts, int maxDistinctPages, List<String> rules, List<Long> userIds) {
    }

    /** The same summary without an alerts file: when the file written was a temporary one, not the user's. */
    public ReplaySummary withoutAlertsFile() {
        return new ReplaySummary(replayId, history, linesRead, linesSkipped, badLines, badLinesByReason, rowsProduced, rowsProcessed, deadLettered,
                duplicatesAbsorbed, rowsHeldForClockSkew, alertsByKind, topIps, sortTime, elapsed, rowsPerSecond, null, 0, rejectsOut, rejectsWritten,
                rowsAlreadyProduced);
    }

    /** Rows the detector took in: produced and not dead-lettered (duplicates absorbed among them). */
    public long rowsAccepted() {
        return rowsProduced - deadLetteredTotal();
    }

    public long deadLetteredTotal() {
        return deadLettered.values().stream().mapToLong(Long::longValue).sum();
    }

    public long alertsTotal() {
        return alertsByKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
