package io.curriculum.tools.cli;

import io.curriculum.app.api.Subject;
import io.curriculum.app.cli.KafkaOptions;
import io.curriculum.app.cli.UsageException;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.BandAlertId;
import io.curriculum.detector.model.MachineSpeedAlertId;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.explain.ExplanationText;
import io.curriculum.tools.explain.MachineSpeedExplainer;
import io.curriculum.tools.explain.MachineSpeedExplanation;
import io.curriculum.tools.explain.NothingToExplainException;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.history.HistoryReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code explain}: why the machine-speed rules flagged an address, a user or an alert, from a history file, without
 * Kafka: the requests they saw, every scale's peak and the alerts they raised ({@link MachineSpeedExplainer}).
 * A key without requests, an alert the rules do not raise, an id of no known format or an unreadable file are usage
 * errors (exit 2) whose message says what is there instead.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {
                "Explains why the detector flagged (or did not flag) an address, a user or an alert, from a history file.",
                "",
                "Runs the rows of that key in the file through the detector's own machine-speed rules, as a replay of the file "
                        + "would, and prints what they saw and decided; the alerts equal those a replay raises. Needs no Kafka; "
                        + "takes seconds.",
                "",
                "FILE is any history replay accepts (the export format or CSV, gzip or not, in any order: it is sorted by event "
                        + "time first). The rules run over the whole file (a key's windows at --from hold what came before), with "
                        + "the burst and crawl scales, the allowlist and the campus zone of the configuration (--config FILE and "
                        + "DETECTOR_* environment variables, as for run and replay).",
                "",
                "Scopes, as the topology keys them: --ip explains the address (scope ip, burst only) and every user on it (scope "
                        + "client); --user the user on every address (scope user: a threshold counts only over windows that span "
                        + "at least two addresses) and on each one (scope client); --alert ID its own key and scope.",
                "",
                "The output: the requests in the range (time, path, user, cohort, address; at most --max-requests, with how many "
                        + "were left out; pages that are no lesson, allowlisted addresses and rows the detector dead-letters are "
                        + "marked, not judged); for each scale (e.g. burst 20s: 30 distinct pages, 10 per user; crawl 1h: 200 pages, "
                        + "9 of 12 slots active, new-page share 0.5) the busiest window (most distinct pages) and, when it is another, "
                        + "the window that came closest to the threshold: distinct pages, pages per user, active slots, new-page "
                        + "share, when, and whether the scale FIRED (an alert opened at that "
                        + "scale), crossed (inside an episode another scale opened), or how close it came and what held it back; "
                        + "then every alert raised for the key in the range, as a replay raises it: the window that opened it and "
                        + "the episode's evidence (alert ids as on the suspicious-IP topic). Band alerts (band-spike|..., band-drop|...) are not explained here: "
                        + "replay --report charts their series.",
                "",
                "Range: --from/--to as 2019-03-04, '2019-03-04 10:00[:00]' (campus time) or an ISO instant (2019-03-04T16:00:00Z); "
                        + "a bare --to date includes that day. Default: the whole file; for --alert, its episode and the longest "
                        + "window before and after it."})
final class ExplainCommand implements Callable<Integer> {

    /** Exactly one of --ip, --user, --alert. */
    static final class Target {
        @Option(names = "--ip", paramLabel = "ADDRESS", required = true, description = "Explain this address (IPv4 or IPv6).")
        String ip;

        @Option(names = "--user", paramLabel = "N", required = true, description = "Explain this user id.")
        Long user;

        @Option(names = "--alert", paramLabel = "ALERT_ID", required = true,
                description = "Explain this alert: an id of the suspicious-IP topic, e.g. 'burst|ip|203.0.113.9|2019-03-04T16:12:00Z' "
                        + "or 'crawl|client|203.0.113.9|417|2019-03-04T15:02:10Z' (quote it: '|' is a shell pipe).")
        String alert;
    }

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "History file to read.")
    private Path history;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @Option(names = "--from", paramLabel = "TIME", description = "Start of the range (inclusive).")
    private String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the range (inclusive).")
    private String to;

    @Option(names = "--cohorts", paramLabel = "FILE",
            description = "Cohorts table as CSV in the real table's format. Default: the real table bundled with the application.")
    private Path cohorts;

    @Option(names = "--config", paramLabel = "FILE", description = "Detector properties: detector.* keys (see the README).")
    private Path config;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "" + MachineSpeedExplainer.DEFAULT_MAX_REQUESTS,
            description = "Requests to list at most (default: ${DEFAULT-VALUE}); the rest are counted.")
    private int maxRequests;

    @Option(names = "--json", description = "Print the explanation as one JSON document instead of text.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        HistoryReader.requireReadable(history);
        final DetectorConfig detectorConfig = DetectorConfig.from(config == null ? new Properties() : KafkaOptions.load(config, "--config"),
                System.getenv());
        final List<CohortRow> cohortRows = cohorts == null ? CohortsCsv.bundled() : CohortsCsv.read(cohorts);
        final ZoneId zone = detectorConfig.campusZone();
        final Instant start = from == null ? null : time(from, zone, false, "--from");
        final Instant end = to == null ? null : time(to, zone, true, "--to");
        if (start != null && end != null && end.isBefore(start)) {
            throw new UsageException("--to " + to + " lies before --from " + from);
        }
        if (maxRequests < 0) {
            throw new UsageException("--max-requests must be 0 or more, not " + maxRequests);
        }
        final MachineSpeedExplainer explainer = new MachineSpeedExplainer(detectorConfig, cohortRows);
        final MachineSpeedExplanation explanation;
        try {
            if (target.alert != null) {
                explanation = explainer.explain(history, machineSpeedAlertId(target.alert), start, end, maxRequests);
            } else {
                final Subject subject = target.ip != null ? Subject.address(target.ip) : Subject.user(target.user);
                explanation = explainer.explain(history, subject, start, end, maxRequests);
            }
        } catch (final NothingToExplainException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (json) {
            out.println(JsonSerde.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(explanation));
            out.flush();
        } else {
            ExplanationText.print(explanation, out);
        }
        return 0;
    }

    private static MachineSpeedAlertId machineSpeedAlertId(final String id) {
        if (BandAlertId.looksLikeOne(id)) {
            throw new UsageException("'" + id + "' is a lesson-band alert: explain covers the machine-speed alerts (burst|... and crawl|...); "
                    + "a band alert's daily counts, band and score are charted by 'replay FILE --report FILE.html'");
        }
        if (!MachineSpeedAlertId.looksLikeOne(id)) {
            throw new UsageException("unknown alert id format '" + id + "': expected a suspicious-IP alert id, "
                    + "burst|<scope>|<key>|<time> or crawl|<scope>|<key>|<time> (scope ip, client or user), "
                    + "e.g. 'burst|ip|203.0.113.9|2019-03-04T16:12:00Z'");
        }
        return MachineSpeedAlertId.parse(id);
    }

    /** A time of --from/--to: a campus date (a --to date: the end of that day), a campus date and time, or an ISO instant. */
    static Instant time(final String text, final ZoneId zone, final boolean endOfDay, final String option) {
        final String value = text.trim();
        try {
            if (value.length() == 10) {
                final LocalDate day = LocalDate.parse(value);
                return endOfDay ? day.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1) : day.atStartOfDay(zone).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (final DateTimeException e) {
            throw new UsageException(option + " '" + text + "' is no time: give 2019-03-04, '2019-03-04 10:00[:00]' (campus time, "
                    + zone + ") or an ISO instant such as 2019-03-04T16:00:00Z");
        }
    }
}
