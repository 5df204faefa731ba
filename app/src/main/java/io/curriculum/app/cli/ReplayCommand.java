package io.curriculum.app.cli;

import io.curriculum.app.history.CohortRow;
import io.curriculum.app.history.CohortsCsv;
import io.curriculum.app.history.HistoryReader;
import io.curriculum.app.replay.Replay;
import io.curriculum.app.replay.ReplaySummary;
import io.curriculum.app.runtime.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
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
                        + "and counted.",
                "",
                "The replay has its own application id and topics (<replay-id>.*), so it never disturbs a live detector on the "
                        + "same cluster. Without --bootstrap-servers it runs on an embedded broker in a temporary directory."})
final class ReplayCommand implements Callable<Integer> {

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

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "0", converter = Converters.Speed.class,
            description = "0 (default): as fast as possible; N: N times real time (3600: an hour of history per second).")
    private double speed;

    @Option(names = "--replay-id", paramLabel = "ID",
            description = "Application id and topic prefix of this replay. Default: replay-<date>-<time>.")
    private String replayId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state of the replay. Default: a temporary directory, deleted at the end.")
    private Path stateDir;

    @Mixin
    private KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        HistoryReader.requireReadable(history);
        final List<CohortRow> cohortRows = cohorts == null ? CohortsCsv.bundled() : CohortsCsv.read(cohorts);
        if (alertsOut != null) {
            requireWritable(alertsOut);
        }
        final String id = replayId != null ? replayId : "replay-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try (ShutdownSignal shutdown = ShutdownSignal.register(spec.name())) {
            final Path work = Files.createTempDirectory("detector-replay-");
            try (Cluster cluster = Cluster.open(kafka, work.resolve("kafka"), err)) {
                final ReplaySummary summary;
                try (Replay replay = new Replay(cluster.config(), cluster.clientProperties(), id, stateDir != null ? stateDir : work.resolve("streams"))) {
                    final ConsoleProgress progress = new ConsoleProgress(err);
                    summary = replay.run(history, cohortRows, speed, alertsOut, progress);
                    progress.print("");
                }
                Reports.summary(summary, out);
                Reports.memory(out);
                if (!cluster.isEmbedded()) {
                    out.println("  the replay's topics stay on " + cluster.bootstrapServers() + ": " + id + ".*");
                    out.flush();
                }
                return 0;
            } catch (final Exception e) {
                return shutdown.interrupted(e, err);
            } finally {
                Directories.deleteQuietly(work);
            }
        }
    }

    /**
     * Fails now, not after the whole replay, when the alerts file cannot be written: creates its parent directories
     * and opens it for writing (a file that did not exist is removed again; the replay writes it at the end).
     */
    private static void requireWritable(final Path file) {
        if (Files.isDirectory(file)) {
            throw new UsageException("--alerts-out cannot write " + file + ": it is a directory");
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
                throw new UsageException("--alerts-out cannot write " + file + ": no file can be created there");
            }
            if (!existed) {
                Files.deleteIfExists(file);
            }
        } catch (final IOException e) {
            throw UsageException.cannotWrite("--alerts-out", file, e);
        }
    }
}
