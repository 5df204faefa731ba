package io.curriculum.tools.cli;

import io.curriculum.app.api.ViewGatherer;
import io.curriculum.app.cli.Cluster;
import io.curriculum.app.cli.Converters;
import io.curriculum.app.cli.KafkaOptions;
import io.curriculum.app.cli.RulesCommand;
import io.curriculum.app.cli.ShutdownSignal;
import io.curriculum.app.cli.UsageException;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.LessonKey;
import io.curriculum.detector.rules.RulesFile;
import io.curriculum.detector.serde.AlertSerde;
import io.curriculum.detector.views.Answers;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.replay.AlertComparison;
import io.curriculum.tools.replay.Replay;
import io.curriculum.tools.replay.ReplaySummary;
import io.curriculum.tools.replay.ReplayWorkDir;
import io.curriculum.tools.report.BandCounts;
import io.curriculum.tools.report.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code replay}: backfill a history file through the detector's topology, in event time. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
                "Replays a history file through the live detector's topology, in event time, and prints a summary.",
                "",
                "The summary gives the rows read, processed and dead-lettered, the alerts by type, the top suspicious IPs and "
                        + "the throughput.",
                "",
                "FILE is the original export (date time path user_id cohort_id ip, space separated, no header, cohort_id 8.0 or "
                        + "NaN) or CSV exported from SQL (columns id,date,time,path,user_id,cohort_id,ip, id optional, with or "
                        + "without header); either may be gzip-compressed. Bad lines are reported with their line numbers, skipped "
                        + "and counted (--rejects-out lists them all).",
                "",
                "The rows may come in any order: the replay sorts them by event time first, in bounded memory (an external "
                        + "merge sort), unless --assume-sorted says they are sorted already.",
                "",
                "The replay has its own application id and topics (<replay-id>.*), so it never disturbs a live detector on the "
                        + "same cluster. Without --bootstrap-servers it runs on an embedded broker in its work directory.",
                "",
                "Resuming: with --replay-id ID the replay keeps its work directory (the embedded broker's data, the Kafka Streams "
                        + "state and the sorted chunks; --work-dir, default <java.io.tmpdir>/detector-replays/ID) until it has ended. "
                        + "Interrupted (Ctrl-C, a failure, kill -9), it is resumed by the same command: the broker restarts on the same "
                        + "data, the detector from its last commit (exactly_once_v2), and only the rows not yet on the replay's topic "
                        + "are produced, so the alerts (--alerts-out) equal those of an uninterrupted replay, byte for byte. It says so "
                        + "on stderr (\"resuming replay ID: N of M rows already produced\"); a different file under the same id is "
                        + "refused. Delete the directory to start the replay over. The work directory is deleted once the replay has ended.",
                "",
                "Without --replay-id the work directory is a new temporary one (<java.io.tmpdir>/detector-replay-*), deleted "
                        + "however the replay ends; one left by a replay that was killed is removed by the next replay, which says so.",
                "",
                "Candidate rules: --rules FILE (a rules file as 'rules publish' reads it) replays with its records in force over the "
                        + "configuration. With --compare it replays the history twice, for real (two replays one after the other on the "
                        + "same broker, each with its own id and topics: about twice the time of one), through the current rules (the "
                        + "configuration) and through the candidate's, and prints per rule the alerts added, removed and changed (same "
                        + "alert id, other contents: the fields that differ), by alert id, with counts. Exit 0 either way."})
final class ReplayCommand implements Callable<Integer> {

    /** What a replay id may be: it names the replay's application id, topics and work directory. */
    private static final Pattern REPLAY_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "History file to replay.")
    private Path history;

    @Option(names = "--cohorts", paramLabel = "FILE",
            description = "Cohorts table as CSV in the real table's format (id,name,slack,start_date,end_date,created_at,updated_at,deleted_at,program_id). Default: the real table bundled with the application.")
    private Path cohorts;

    @Option(names = "--alerts-out", paramLabel = "FILE",
            description = "Write every alert as JSON Lines: one line per alert, its latest record (open, or closed with the whole episode), ordered by detectedAt then alertId; fields as in the README's alert topics.")
    private Path alertsOut;

    @Option(names = "--rejects-out", paramLabel = "FILE",
            description = "Write every line that was not processed as JSON Lines: {\"line\":N,\"stage\":\"read\"|\"detector\",\"reason\":...,\"detail\":...,\"original\":...}, the original bytes escaped (a backslash as \\\\, other bytes that are not printable UTF-8 as \\xNN).")
    private Path rejectsOut;

    @Option(names = "--assume-sorted",
            description = "The file's rows are in event-time order already: replay them in file order instead of sorting them first.")
    private boolean assumeSorted;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "After the replay, write a self-contained HTML report (inline CSS and SVG, no network) answering the analysts' six questions.")
    private Path report;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "0", converter = Converters.Speed.class,
            description = "0 (default): as fast as possible; N: N times real time (3600: an hour of history per second).")
    private double speed;

    @Option(names = "--replay-id", paramLabel = "ID",
            description = "Application id and topic prefix of this replay (letters, digits, '.', '_', '-'); a replay given an id "
                    + "can be resumed by the same command after an interruption. Default: replay-<date>-<time>, not resumable.")
    private String replayId;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Work directory of the replay: the embedded broker's data (DIR/kafka), the Kafka Streams state (DIR/streams), "
                    + "the sorted chunks (DIR/sort). Must be new, empty, or this replay's. Default: with --replay-id ID "
                    + "<java.io.tmpdir>/detector-replays/ID, else a new <java.io.tmpdir>/detector-replay-*. Deleted when the replay has ended.")
    private Path workDir;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state of the replay, kept afterwards. Default: <work-dir>/streams.")
    private Path stateDir;

    @Option(names = "--rules", paramLabel = "CANDIDATE.json",
            description = "Replay with the records of this rules file in force over the configuration (validated first: an error names the line and key).")
    private Path rules;

    @Option(names = "--compare",
            description = "With --rules: replay twice, through the current rules and through the candidate's, and print the alerts added, removed and changed per rule.")
    private boolean compare;

    @Option(names = "--compare-list", paramLabel = "N", defaultValue = "10",
            description = "With --compare: alert ids to list at most per rule and kind of change (default: ${DEFAULT-VALUE}); the rest are counted.")
    private int compareList;

    @Mixin
    private KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        HistoryReader.requireReadable(history);
        final List<CohortRow> cohortRows = cohorts == null ? CohortsCsv.bundled() : CohortsCsv.read(cohorts);
        if (alertsOut != null) {
            requireWritable(alertsOut, "--alerts-out");
        }
        if (report != null) {
            requireWritable(report, "--report");
        }
        if (rejectsOut != null) {
            requireWritable(rejectsOut, "--rejects-out");
        }
        if (replayId != null && (!REPLAY_ID.matcher(replayId).matches() || replayId.matches("\\.+"))) {
            throw new UsageException("--replay-id '" + replayId + "' must be 1 to 200 letters, digits, '.', '_' or '-', not dots alone (it names topics and a directory)");
        }
        if (compare && rules == null) {
            throw new UsageException("--compare needs --rules CANDIDATE.json: the rules to compare with the current ones");
        }
        if (compare && (replayId != null || report != null || alertsOut != null)) {
            throw new UsageException("--compare runs two replays of its own and prints their difference: it takes no --replay-id, --report or --alerts-out");
        }
        final RulesFile candidate = rules == null ? null
                : RulesCommand.Publish.read(rules, DetectorConfig.from(kafka.properties(kafka.clientProperties()), System.getenv()));
        final String id = replayId != null ? replayId : "replay-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path tempRoot = Path.of(System.getProperty("java.io.tmpdir"));
        try (ShutdownSignal shutdown = ShutdownSignal.register(spec.name())) {
            if (workDir == null) {
                ReplayWorkDir.removeAbandoned(tempRoot, err::println);
            }
            final ReplayWorkDir work = openWorkDir(tempRoot, id, err);
            boolean ended = false;
            try (Cluster cluster = Cluster.open(kafka, work.kafka(), err)) {
                if (compare) {
                    compare(cluster, work, id, cohortRows, candidate, out, err);
                    ended = true;
                    return 0;
                }
                final DetectorConfig config = candidate == null ? cluster.config() : candidate.applyTo(cluster.config()).config();
                final ReplaySummary summary;
                try (Replay replay = new Replay(config, cluster.clientProperties(), id, stateDir != null ? stateDir : work.streams())
                        .assumeSorted(assumeSorted).rejectsOut(rejectsOut).sortDirectory(work.sort()).resume(replayId != null)) {
                    final AtomicReference<DetectorRuntime> runtime = new AtomicReference<>();
                    final ConsoleProgress progress = new ConsoleProgress(err) {
                        @Override
                        public void started(final DetectorRuntime started) {
                            runtime.set(started);
                        }
                    };
                    // the report reads the alerts back: without --alerts-out they go to a temporary file
                    final Path alerts = alertsOut != null || report == null ? alertsOut : work.dir().resolve("alerts.jsonl");
                    final ReplaySummary replayed = replay.run(history, cohortRows, speed, alerts, progress);
                    ended = true;
                    summary = alertsOut == null ? replayed.withoutAlertsFile() : replayed;
                    progress.print("");
                    if (report != null) {
                        writeReport(replay, runtime.get(), alerts, cohortRows, id);
                        err.println("report written to " + report);
                    }
                }
                Reports.summary(summary, out);
                Reports.memory(out);
                if (!cluster.isEmbedded()) {
                    out.println("  the replay's topics stay on " + cluster.bootstrapServers() + ": " + id + ".*");
                    out.flush();
                }
                if (summary.rowsProduced() == summary.deadLetteredTotal()) {
                    err.println("no line of " + history + " could be used: " + summary.badLines() + " bad, "
                            + summary.deadLetteredTotal() + " dead-lettered, nothing detected");
                    return 2;
                }
                return 0;
            } catch (final Exception e) {
                if (!ended && work.resumable()) {
                    err.println("replay " + id + " did not end; its work directory " + work.dir() + " is kept: the same command resumes it"
                            + " (delete the directory to start over)");
                    err.flush();
                }
                return shutdown.interrupted(e, err);
            } finally {
                work.finish(ended);
            }
        }
    }

    /**
     * Two replays of the history on one cluster, through the current rules and the candidate's, each with its own id
     * ({@code <id>-current}, {@code <id>-candidate}), state and alerts file in the work directory; then their difference.
     */
    private void compare(final Cluster cluster, final ReplayWorkDir work, final String id, final List<CohortRow> cohortRows,
                         final RulesFile candidate, final PrintWriter out, final PrintWriter err) throws Exception {
        final Path currentAlerts = work.dir().resolve("current-alerts.jsonl");
        final Path candidateAlerts = work.dir().resolve("candidate-alerts.jsonl");
        err.println("replay 1 of 2: the current rules (the configuration)");
        final ReplaySummary current = replayOnce(cluster, cluster.config(), id + "-current", work, cohortRows, currentAlerts, err);
        err.println("replay 2 of 2: the candidate rules of " + rules);
        final ReplaySummary tuned = replayOnce(cluster, candidate.applyTo(cluster.config()).config(), id + "-candidate", work, cohortRows,
                candidateAlerts, err);
        Reports.comparison(AlertComparison.of(currentAlerts, candidateAlerts), history, rules, candidate, current, tuned, compareList, out);
    }

    private ReplaySummary replayOnce(final Cluster cluster, final DetectorConfig config, final String replay, final ReplayWorkDir work,
                                     final List<CohortRow> cohortRows, final Path alerts, final PrintWriter err) throws Exception {
        final String part = replay.substring(replay.lastIndexOf('-') + 1);
        try (Replay run = new Replay(config, cluster.clientProperties(), replay, work.streams().resolve(part))
                .assumeSorted(assumeSorted).sortDirectory(work.sort().resolve(part))) {
            final ConsoleProgress progress = new ConsoleProgress(err);
            final ReplaySummary summary = run.run(history, cohortRows, speed, alerts, progress);
            progress.print("");
            return summary;
        }
    }

    /**
     * The replay's work directory: with --replay-id the resumable one of that id (--work-dir or its default place), saying
     * on stderr where it is and whether an earlier run left it; without, --work-dir or a new temporary directory.
     */
    private ReplayWorkDir openWorkDir(final Path tempRoot, final String id, final PrintWriter err) {
        final ReplayWorkDir.Source source = ReplayWorkDir.Source.of(history, assumeSorted);
        if (replayId == null) {
            return workDir == null ? ReplayWorkDir.temporary(tempRoot, id, source) : ReplayWorkDir.open(workDir, id, false, source);
        }
        final ReplayWorkDir work = ReplayWorkDir.open(workDir != null ? workDir : ReplayWorkDir.defaultResumable(tempRoot, id), id, true, source);
        err.println(work.existed()
                ? "work directory " + work.dir() + ": left by an earlier run of replay " + id + ", which this one continues"
                : "work directory " + work.dir() + ": kept until replay " + id + " has ended, so that the same command resumes it if interrupted");
        err.flush();
        return work;
    }

    private void writeReport(final Replay replay, final DetectorRuntime runtime, final Path alerts, final List<CohortRow> cohortRows,
                             final String id) throws IOException, InterruptedException {
        final Answers answers = new Answers(new ViewGatherer(runtime.streams(), null).gather());
        final List<AlertRecord> alertList = new ArrayList<>();
        for (final String line : Files.readAllLines(alerts)) {
            if (!line.isBlank()) {
                alertList.add(AlertSerde.parse(line));
            }
        }
        final Map<LessonKey, List<BandCounts.Point>> bandCounts = BandCounts.of(history, cohortRows, replay.config(),
                HtmlReport.bandSeriesToChart(alertList));
        HtmlReport.write(report, "replay " + id + " of " + history.getFileName(), answers, alertList,
                replay.config().views().newLessonAge(), bandCounts);
    }

    /**
     * Fails now, not after the whole replay, when an output file cannot be written: creates its parent directories
     * and opens it for writing (a file that did not exist is removed again; the replay writes it at the end).
     */
    private static void requireWritable(final Path file, final String option) {
        if (Files.isDirectory(file)) {
            throw new UsageException(option + " cannot write " + file + ": it is a directory");
        }
        final boolean existed = Files.exists(file);
        try {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
            } catch (final NoSuchFileException e) {
                throw new UsageException(option + " cannot write " + file + ": no file can be created there");
            }
            if (!existed) {
                Files.deleteIfExists(file);
            }
        } catch (final IOException e) {
            throw UsageException.cannotWrite(option, file, e);
        }
    }
}
