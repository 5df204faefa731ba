package io.curriculum.tools.cli;

import io.curriculum.app.cli.RulesCommand;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.rules.RulesFile;
import io.curriculum.tools.generate.AnomalyKind;
import io.curriculum.tools.replay.AlertComparison;
import io.curriculum.tools.replay.ReplaySummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How alerts and replay summaries read on a console. */
final class Reports {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Reports() {
    }

    /** The difference of a --compare replay: per rule the alerts of each run and those added, removed and changed, by id. */
    static void comparison(final AlertComparison comparison, final Path history, final Path rulesFile, final RulesFile candidate,
                           final ReplaySummary current, final ReplaySummary tuned, final int listed, final PrintWriter out) {
        final List<String> records = new ArrayList<>();
        candidate.records().values().forEach(record -> records.add(RulesCommand.describe(record)));
        out.println("compare " + history.getFileName() + ": current rules (the configuration) against " + rulesFile.getFileName()
                + " (" + String.join(", ", records) + ")");
        out.printf(Locale.ROOT, "  rows processed: %d and %d; alerts: %d and %d%n", current.rowsProcessed(), tuned.rowsProcessed(),
                current.alertsTotal(), tuned.alertsTotal());
        out.printf(Locale.ROOT, "  %-18s %8s %10s %7s %8s %8s%n", "rule", "current", "candidate", "added", "removed", "changed");
        comparison.rules().forEach((rule, diff) -> out.printf(Locale.ROOT, "  %-18s %8d %10d %7d %8d %8d%n", rule, diff.current(),
                diff.candidate(), diff.added().size(), diff.removed().size(), diff.changed().size()));
        comparison.rules().forEach((rule, diff) -> {
            list(out, rule, "added", diff.added(), listed);
            list(out, rule, "removed", diff.removed(), listed);
            final List<String> changes = new ArrayList<>();
            diff.changed().forEach(change -> changes.add(change.alertId() + "  " + String.join("; ", change.differences().stream().limit(3)
                    .map(d -> d.length() > 90 ? d.substring(0, 87) + "..." : d).toList()) + (change.differences().size() > 3 ? "; ..." : "")));
            list(out, rule, "changed", changes, listed);
        });
        if (comparison.same()) {
            out.println("  the candidate rules raise exactly the alerts of the current ones");
        }
        out.flush();
    }

    private static void list(final PrintWriter out, final String rule, final String kind, final List<String> lines, final int listed) {
        if (lines.isEmpty() || listed <= 0) {
            return;
        }
        out.println(rule + " " + kind + ":");
        lines.stream().limit(listed).forEach(line -> out.println("  " + line));
        if (lines.size() > listed) {
            out.println("  ... and " + (lines.size() - listed) + " more");
        }
    }

    /** One line for an alert record, e.g. {@code 2019-03-03 22:52:01  BURST  ip 204.44.112.76 ...}; times in the campus zone. */
    static String alert(final AlertRecord alert, final ZoneId zone) {
        final String at = local(alert.detectedAt(), zone);
        if (alert instanceof InactiveStudentAlert inactive) {
            return String.format(Locale.ROOT, "%s  %-10s %-6s user %d (%s, %s): %d accesses in %d class days from %s to %s (fewer than %d)",
                    at, "INACTIVE", "", inactive.userId(), inactive.cohort(), inactive.program(), inactive.accesses(), inactive.classDays(),
                    inactive.windowStart(), inactive.windowEnd(), inactive.minAccesses());
        }
        if (alert instanceof BandAlert band) {
            final int days = Math.max(1, band.episodeWindows());
            final String episode = days > 1 ? String.format(Locale.ROOT, ", day %d of an episode since %s (%d hits where %.1f were expected)",
                    days, local(band.since(), zone).substring(0, 10), band.episodeCount(), band.episodeExpected()) : "";
            final String program = band.programCount() != null
                    ? String.format(Locale.ROOT, ", program %d hits (activity %.2f)", band.programCount(),
                    band.programActivity() == null ? 0.0 : band.programActivity()) : "";
            return String.format(Locale.ROOT, "%s  %-10s %-6s %s, %s: %d hits on %s, expected %.1f, band %.1f-%.1f, score %.1f (%s over %d %s%s)%s",
                    at, band.rule().toUpperCase(Locale.ROOT), band.status(), band.program(),
                    "*".equals(band.lesson()) ? "all lessons" : band.lesson(), band.count(),
                    local(band.windowStart(), zone).substring(0, 10), band.expected(), band.lower(), band.upper(), band.score(), band.model(),
                    band.historyWindows(), band.historyWindows() == 1 ? "window" : "windows", program, episode);
        }
        final MachineSpeedAlert machine = (MachineSpeedAlert) alert;
        final List<String> cohorts = new ArrayList<>();
        if (machine.cohorts() != null) {
            machine.cohorts().forEach(c -> cohorts.add(String.valueOf(c.name())));
        }
        final long seconds = Math.max(0, machine.windowEnd().getEpochSecond() - machine.windowStart().getEpochSecond());
        return String.format(Locale.ROOT, "%s  %-10s %-6s %s %s%s: %d distinct lessons in %d s (%d requests)%s%s",
                at, machine.rule().toUpperCase(Locale.ROOT), machine.status(), machine.scope(),
                machine.ips() != null && machine.ips().size() > 1 ? String.join("/", machine.ips()) : machine.ip(),
                machine.userId() == null ? "" : " user " + machine.userId(),
                machine.distinctPages(), seconds, machine.requests(),
                cohorts.isEmpty() ? "" : ", cohort " + String.join("/", cohorts),
                machine.roles() == null || machine.roles().isEmpty() ? "" : ", " + String.join("/", machine.roles()));
    }

    private static String local(final Instant instant, final ZoneId zone) {
        return instant == null ? "null" : LOCAL.format(instant.atZone(zone));
    }

    /** Injected anomalies by kind, as the labels name them: {@code burst-scraper 2, nat-scraper 1, ...}. */
    static String anomalyCounts(final Map<AnomalyKind, Integer> counts) {
        final List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(kind.label() + " " + n));
        return String.join(", ", parts);
    }

    static void summary(final ReplaySummary s, final PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "replay %s of %s: done in %.1f s%n", s.replayId(), s.history(), s.elapsed().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "  lines read        %,d (bad lines skipped: %,d)%n", s.linesRead(), s.badLines());
        out.printf(Locale.ROOT, "  rows processed    %,d of %,d produced (dead-lettered %,d%s; duplicates absorbed %,d)%n",
                s.rowsProcessed(), s.rowsProduced(), s.deadLetteredTotal(), byKind(s.deadLettered(), ": "), s.duplicatesAbsorbed());
        out.printf(Locale.ROOT, "  every line        %,d read = %,d accepted + %,d rejected%s + %,d dead-lettered + %,d blank or header%n",
                s.linesRead(), s.rowsAccepted(), s.badLines(), s.badLinesByReason().isEmpty() ? "" : " (" + byKind(s.badLinesByReason(), "") + ")",
                s.deadLetteredTotal(), s.linesSkipped());
        if (s.rowsAlreadyProduced() > 0) {
            out.printf(Locale.ROOT, "  resumed           after %,d rows produced by an earlier run (time, throughput, duplicates absorbed and held for skew: this run's)%n",
                    s.rowsAlreadyProduced());
        }
        if (s.rowsHeldForClockSkew() > 0) {
            out.printf(Locale.ROOT, "  held for skew     %,d rows were held until others caught up with their event time (README: Event time)%n",
                    s.rowsHeldForClockSkew());
        }
        if (s.rejectsOut() != null) {
            out.printf(Locale.ROOT, "  rejects written to %s (%,d lines, JSON: line, stage, reason, detail, original)%n", s.rejectsOut(), s.rejectsWritten());
        }
        out.printf(Locale.ROOT, "  sorting           %s%n", s.sortTime() == null ? "skipped (--assume-sorted)"
                : String.format(Locale.ROOT, "%.1f s, by event time", s.sortTime().toMillis() / 1000.0));
        out.printf(Locale.ROOT, "  throughput        %,.0f rows/s (first row produced to last alert read back)%n", s.rowsPerSecond());
        out.printf(Locale.ROOT, "  alerts            %,d%s%n", s.alertsTotal(), byKind(s.alertsByKind(), ": "));
        if (!s.topIps().isEmpty()) {
            out.println("  top suspicious IPs (machine-speed alerts; most distinct lessons in one alert)");
            for (final ReplaySummary.SuspiciousIp ip : s.topIps()) {
                out.printf(Locale.ROOT, "    %-39s %3d alerts  %5d lessons  %s  users %s%n", ip.ip(), ip.alerts(), ip.maxDistinctPages(),
                        String.join(",", ip.rules()), ip.userIds().isEmpty() ? "-" : ip.userIds().toString());
            }
        }
        if (s.alertsOut() != null) {
            out.printf(Locale.ROOT, "  alerts written to %s (%,d lines, JSON)%n", s.alertsOut(), s.alertsWritten());
        }
        out.flush();
    }

    /** Peak resident set (Linux: VmHWM) and peak heap of this process, for the replay's summary. */
    static void memory(final PrintWriter out) {
        long peakHeap = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        String peakRss = "unknown";
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRss = String.format(Locale.ROOT, "%,d MiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                }
            }
        } catch (final IOException | RuntimeException e) {
            // not Linux: the peak resident set stays unknown
        }
        out.printf(Locale.ROOT, "  memory            peak RSS %s, peak heap %,d MiB (this process, broker included when embedded)%n",
                peakRss, peakHeap / (1024 * 1024));
        out.flush();
    }

    private static String byKind(final Map<String, Long> counts, final String lead) {
        if (counts.isEmpty()) {
            return "";
        }
        final List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(kind + " " + n));
        return lead + String.join(", ", parts);
    }
}
