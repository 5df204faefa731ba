package io.curriculum.tools.explain;

import io.curriculum.detector.config.Durations;
import io.curriculum.detector.model.CohortSeen;
import io.curriculum.detector.model.MachineSpeedAlert;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The text form of an explanation, for a terminal: campus times, one line per request, per scale and per alert figure. */
public final class ExplanationText {

    private ExplanationText() {
    }

    public static void print(final MachineSpeedExplanation explanation, final PrintWriter out) {
        final CampusTime campus = new CampusTime(ZoneId.of(explanation.zone()));
        out.println("explain " + explanation.subject() + " in " + explanation.file());
        out.println("  from " + campus.format(explanation.from()) + " to " + campus.format(explanation.to()) + " (campus time, "
                + explanation.zone() + ")");
        out.println();
        final long notJudged = explanation.requestsInRange() - explanation.lessonRequestsInRange();
        out.println("requests: " + explanation.requestsInRange() + " (" + explanation.lessonRequestsInRange() + " lesson pages judged"
                + (notJudged > 0 ? ", " + notJudged + " not judged" : "") + ")");
        for (final MachineSpeedExplanation.Request request : explanation.requests()) {
            out.println(String.format(Locale.ROOT, "  %s  %-40s user %-6s cohort %-4s %s%s", campus.format(request.time()), request.path(),
                    request.userId() == null ? "-" : request.userId(), request.cohortId() == null ? "-" : request.cohortId(), request.ip(),
                    request.note() == null ? "" : "  (" + request.note() + ")"));
        }
        if (explanation.requestsLeftOut() > 0) {
            out.println("  ... " + explanation.requestsLeftOut() + " more requests left out (narrow --from/--to, or raise --max-requests)");
        }
        for (final MachineSpeedExplanation.ScopePeaks scope : explanation.scopes()) {
            out.println();
            out.println("scope " + scope.scope() + " (" + scope.keys() + (scope.keys() == 1 ? " key" : " keys") + "):");
            for (final ScalePeak peak : scope.peaks()) {
                out.println(peakLines(peak, campus, !"ip".equals(scope.scope()) && scope.keys() > 1));
            }
        }
        out.println();
        out.println("alerts raised: " + explanation.alerts().size() + (explanation.alerts().isEmpty() ? " (nothing fired)" : ""));
        for (final MachineSpeedExplanation.RaisedAlert alert : explanation.alerts()) {
            printAlert(alert, campus, out);
        }
        out.flush();
    }

    /**
     * {@code burst 20s (30 pages, 10 per user): FIRED (alert ...)}, then the busiest window, and the closest one when it is
     * another, with how close it came and what held it back.
     */
    static String peakLines(final ScalePeak peak, final CampusTime campus, final boolean nameKey) {
        final StringBuilder lines = new StringBuilder(String.format(Locale.ROOT, "  %s %s (%s): ", peak.rule(), peak.scale(), threshold(peak)));
        if (ScalePeak.NO_REQUESTS.equals(peak.verdict())) {
            return lines.append("no lesson request in the range").toString();
        }
        lines.append(switch (peak.verdict()) {
            case ScalePeak.FIRED -> "FIRED (" + String.join(", ", peak.alertIds()) + ")";
            case ScalePeak.CROSSED -> "crossed, within an episode that opened at another scale";
            default -> String.format(Locale.ROOT, "not reached: %.0f%% of the threshold, held back by %s", 100 * peak.closest().closeness(),
                    peak.closest().limitedBy());
        });
        lines.append(System.lineSeparator()).append("      busiest ").append(window(peak, peak.busiest(), campus, nameKey));
        if (!peak.closest().equals(peak.busiest())) {
            lines.append(System.lineSeparator()).append("      closest ").append(window(peak, peak.closest(), campus, nameKey));
        }
        return lines.toString();
    }

    /** {@code 62 distinct pages (207%), 2.1 per user (30 users), 64 requests, 2019-01-07 13:59:34 .. 13:59:53}. */
    private static String window(final ScalePeak peak, final ScalePeak.Window window, final CampusTime campus, final boolean nameKey) {
        final StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d distinct pages (%.0f%%)", window.distinctPages(),
                100.0 * window.distinctPages() / peak.minDistinctPages()));
        if ("burst".equals(peak.rule())) {
            text.append(String.format(Locale.ROOT, ", %.1f per user (%d %s)", window.pagesPerUser(), window.users(), window.users() == 1 ? "user" : "users"));
        } else {
            text.append(String.format(Locale.ROOT, ", %d %s active", window.activeSlots(), window.activeSlots() == 1 ? "slot" : "slots"));
            if (peak.minNewPageShare() != null && peak.minNewPageShare() > 0) {
                text.append(String.format(Locale.ROOT, ", new-page share %.2f", window.newPageShare()));
            }
        }
        if (peak.minAddresses() > 1) {
            text.append(String.format(Locale.ROOT, ", %d %s", window.addresses(), window.addresses() == 1 ? "address" : "addresses"));
        }
        text.append(", ").append(window.requests()).append(" requests, ").append(campus.format(window.start())).append(" .. ")
                .append(campus.format(window.end()).substring(11));
        if (nameKey) {
            text.append(" (").append(window.key()).append(')');
        }
        return text.toString();
    }

    private static String threshold(final ScalePeak peak) {
        if ("burst".equals(peak.rule())) {
            return peak.minDistinctPages() + " pages, " + peak.minPagesPerUser() + " per user" + (peak.minAddresses() > 1 ? ", " + peak.minAddresses() + " addresses" : "");
        }
        return peak.minDistinctPages() + " pages, " + peak.minActiveSlots() + "/" + peak.slots() + " slots"
                + (peak.minNewPageShare() != null && peak.minNewPageShare() > 0 ? String.format(Locale.ROOT, ", share %.2f", peak.minNewPageShare()) : "")
                + (peak.minAddresses() > 1 ? ", " + peak.minAddresses() + " addresses" : "");
    }

    private static void printAlert(final MachineSpeedExplanation.RaisedAlert alert, final CampusTime campus, final PrintWriter out) {
        final MachineSpeedAlert opened = alert.opened();
        final MachineSpeedAlert latest = alert.latest();
        out.println("  " + latest.alertId() + "  " + latest.status());
        out.println(String.format(Locale.ROOT, "    opened %s at scale %s: %d distinct pages in %s .. %s, %.2f s per page (threshold %.2f s per page)",
                campus.format(opened.detectedAt()), durationLabel(opened), opened.distinctPages(), campus.format(opened.windowStart()),
                campus.format(opened.windowEnd()).substring(11), opened.secondsPerPage(), opened.threshold().secondsPerPage()));
        out.println(String.format(Locale.ROOT, "    %s %s .. %s: %d requests, %d distinct pages, %.2f s per page",
                "closed".equals(latest.status()) ? "episode" : "episode so far (open at the end of the file)",
                campus.format(latest.windowStart()), campus.format(latest.windowEnd()), latest.requests(), latest.distinctPages(),
                latest.secondsPerPage()));
        out.println("    users " + latest.userIds() + ", addresses " + latest.ips() + ", cohorts " + cohorts(latest.cohorts()) + ", roles " + latest.roles());
        out.println("    sample " + String.join(", ", latest.samplePaths()));
    }

    private static String durationLabel(final MachineSpeedAlert alert) {
        return Durations.format(alert.threshold().window()) + " (" + alert.threshold().minDistinctPages() + " pages)";
    }

    private static String cohorts(final List<CohortSeen> cohorts) {
        return cohorts.stream().map(c -> c.name() == null ? String.valueOf(c.id()) : c.id() + " " + c.name()).collect(Collectors.joining(", ", "[", "]"));
    }
}
