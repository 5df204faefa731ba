package io.curriculum.tools.cli;

import io.curriculum.app.api.AnalystApi;
import io.curriculum.app.cli.ApiOptions;
import io.curriculum.app.cli.Cluster;
import io.curriculum.app.cli.Converters;
import io.curriculum.app.cli.KafkaOptions;
import io.curriculum.app.cli.MetricsOptions;
import io.curriculum.app.cli.ShutdownSignal;
import io.curriculum.app.cli.UsageException;
import io.curriculum.app.metrics.MetricsServer;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.Directories;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.tools.generate.GenerationResult;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.local.ThrowawayMariaDb;
import io.curriculum.tools.replay.Replay;
import io.curriculum.tools.replay.ReplaySummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code demo}: the whole product on one machine, with nothing but Java. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Shows the whole detector at work with nothing but Java.",
                "",
                "It starts an embedded Kafka broker and the detector, generates a synthetic history with injected scrapers, "
                        + "crawlers and lesson spikes and drops (or takes --file), sends it through the detector and prints each alert as "
                        + "it fires, then a summary.",
                "The broker and the demo's topics (demo-<millis>.*, named in its output) stay up until Ctrl-C, so you can look at "
                        + "them with any Kafka client; --exit ends the demo after the summary.",
                "",
                "Where the rows come from (--source):",
                "database: the production path. A throwaway MariaDB server of the demo's own (mariadbd of the OS package "
                        + "mariadb-server, its own data directory and a free port; stopped and deleted at the end), a Kafka Connect "
                        + "worker in this process running the Debezium MariaDB connector of connectors/, and the rows INSERTed into "
                        + "curriculum_logs.logs at --rate rows per second while the detector reads the change events.",
                "file: the rows are replayed straight into Kafka as Debezium's change events (fast; --speed paces them).",
                "auto (default): database when mariadbd is installed and neither --file nor --speed is given, else file "
                        + "(saying so when mariadbd is missing)."})
final class DemoCommand implements Callable<Integer> {

    private static final String DEMO_ID = "demo";
    static final int DEFAULT_RATE = 1000;

    /** Where the demo's rows come from. */
    enum Source { AUTO, DATABASE, FILE }

    /** {@code --source}: one of the {@link Source} names, in lower case as the help writes them, or any case. */
    static final class SourceConverter implements ITypeConverter<Source> {

        @Override
        public Source convert(final String value) {
            for (final Source candidate : Source.values()) {
                if (candidate.name().equalsIgnoreCase(value.trim())) {
                    return candidate;
                }
            }
            throw new TypeConversionException("must be auto, database or file, not '" + value + "'");
        }
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--file", paramLabel = "FILE", description = "Replay this history file instead of a generated one (export format or CSV, gzip or not).")
    private Path file;

    @Option(names = "--source", paramLabel = "auto|database|file", defaultValue = "auto", converter = SourceConverter.class,
            description = "Where the rows come from (see above): auto, database or file. Default: ${DEFAULT-VALUE}.")
    private Source source;

    @Option(names = "--rate", paramLabel = "ROWS_PER_S", converter = Converters.Rate.class,
            description = "Database source: INSERTs per second into curriculum_logs.logs. Default: " + DEFAULT_RATE + ".")
    private Double rate;

    @Option(names = "--rows", paramLabel = "N",
            description = "Rows to generate. Default: 60000 from a file, 15000 through the database.")
    private Long rows;

    @Option(names = "--days", paramLabel = "D",
            description = "Days of history to generate; lesson bands need 4 weeks of history before they judge. Default: 63 from a file, 14 through the database.")
    private Integer days;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2019-01-07", description = "First day of the generated history. Default: ${DEFAULT-VALUE}.")
    private LocalDate start;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the generated history. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "0", converter = Converters.Speed.class,
            description = "File source: 0 (default): as fast as possible; N: N times real time (86400: a day of history per second).")
    private double speed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker, the detector's state, the generated history and the database (deleted at the end) live. Default: a temporary directory, deleted at the end.")
    private Path dataDir;

    @Option(names = "--band-alerts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print lesson-band alerts as they fire (--no-band-alerts: machine-speed alerts only). Default: on.")
    private boolean bandAlerts;

    @Option(names = "--exit", description = "Exit after the summary instead of keeping the broker up until Ctrl-C.")
    private boolean exit;

    @Mixin
    private KafkaOptions kafka;

    @Mixin
    private MetricsOptions metrics;

    @Mixin
    private ApiOptions api;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final boolean database = useDatabase(err);
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        final GeneratorSettings settings = file != null ? null : settings(cohorts, database);
        if (file != null) {
            HistoryReader.requireReadable(file);
        }
        final boolean temporary = dataDir == null;
        try (ShutdownSignal shutdown = ShutdownSignal.register(spec.name())) {
            final Path work = temporary ? Files.createTempDirectory("detector-demo-") : Files.createDirectories(dataDir);
            try {
                return run(work, cohorts, settings, database, shutdown, out, err);
            } catch (final Exception e) {
                return shutdown.interrupted(e, err);
            } finally {
                if (temporary) {
                    Directories.deleteQuietly(work);
                }
            }
        }
    }

    /**
     * Resolves {@code --source}: the database when asked for, or (auto) when mariadbd is installed and neither --file nor
     * --speed asks for a replay; else the file, in one line on stderr that names the package to install when mariadbd
     * is missing. Options of the other source are usage errors.
     */
    private boolean useDatabase(final PrintWriter err) {
        final ParseResult parsed = spec.commandLine().getParseResult();
        final Optional<String> missing = ThrowawayMariaDb.missingProgram();
        final boolean database = switch (source) {
            case FILE -> false;
            case DATABASE -> {
                if (missing.isPresent()) {
                    throw new UsageException("--source database needs a MariaDB server of the demo's own, but " + missing.get()
                            + " is not installed: " + ThrowawayMariaDb.INSTALL_HINT + ", or use --source file");
                }
                yield true;
            }
            case AUTO -> {
                if (file != null || parsed.hasMatchedOption("--speed")) {
                    yield false;
                }
                if (missing.isPresent()) {
                    err.println("no MariaDB server here (" + missing.get() + " not found): replaying the history straight into Kafka; "
                            + "to see rows go through a database and Debezium, " + ThrowawayMariaDb.INSTALL_HINT);
                    err.flush();
                }
                yield missing.isEmpty();
            }
        };
        if (database && parsed.hasMatchedOption("--speed")) {
            throw new UsageException("--speed paces the file source; through the database the rows are INSERTed at --rate ROWS_PER_S"
                    + " (or use --source file)");
        }
        if (!database && rate != null) {
            throw new UsageException("--rate paces the database source's INSERTs; the file source replays with --speed"
                    + (source == Source.AUTO ? " (--source database to INSERT the rows)" : ""));
        }
        return database;
    }

    /** Runs the demo in {@code work}; closes the detector, the database and the broker before it returns or throws. */
    private int run(final Path work, final List<CohortRow> cohorts, final GeneratorSettings settings, final boolean database,
                    final ShutdownSignal shutdown, final PrintWriter out, final PrintWriter err) throws Exception {
        try (Cluster cluster = Cluster.open(kafka, work.resolve("kafka"), err)) {
            final Path history = file != null ? file : generate(settings, work.resolve("history.txt"), out);
            final ZoneId zone = cluster.config().campusZone();
            final String demoId = DEMO_ID + "-" + System.currentTimeMillis();
            final Replay replay = new Replay(cluster.config(), cluster.clientProperties(), demoId, work.resolve("streams"));
            final AtomicReference<MetricsServer> metricsServer = new AtomicReference<>();
            final AtomicReference<AnalystApi> apiServer = new AtomicReference<>();
            final ConsoleProgress progress = new ConsoleProgress(err) {
                @Override
                public void started(final DetectorRuntime runtime) {
                    metricsServer.set(metrics.start(runtime.streams(), replay::newestProducedEventTime));
                    if (metricsServer.get() != null) {
                        print("metrics on " + metricsServer.get().url());
                    }
                    apiServer.set(api.bind());
                    if (apiServer.get() != null) {
                        apiServer.get().serve(runtime.streams(), replay.config(), cluster.clientProperties());
                        print("analysts' API on " + apiServer.get().url());
                    }
                }

                @Override
                public void alert(final String topic, final AlertRecord alert) {
                    final boolean band = alert instanceof BandAlert;
                    final boolean news = alert instanceof MachineSpeedAlert machine ? "open".equals(machine.status())
                            : !(alert instanceof BandAlert breach) || "open".equals(breach.status()) || "band-drop".equals(breach.rule());
                    if (news && (bandAlerts || !band)) {
                        print(out, "ALERT " + Reports.alert(alert, zone));
                    }
                }
            };
            try (DemoDatabase source = database ? DemoDatabase.start(work.resolve("mariadb"), cluster, demoId, err) : null; replay) {
                final ReplaySummary summary = source == null
                        ? replay.run(history, cohorts, speed, work.resolve("alerts.jsonl"), progress)
                        : replay.run(history, cohorts, 0, work.resolve("alerts.jsonl"), progress,
                                source.sink(rate == null ? DEFAULT_RATE : rate, cluster.clientProperties(), replay.config().topics()));
                progress.print("");
                Reports.summary(summary, out);
                if (exit) {
                    return 0;
                }
                out.println();
                out.println("The detector" + (source == null ? "" : ", the database, the Connect worker") + " and the broker stay up on "
                        + cluster.bootstrapServers() + " with the demo's topics (" + summary.replayId() + ".*)" + (metricsServer.get() == null ? "" : ", metrics on " + metricsServer.get().url())
                        + (apiServer.get() == null ? "" : ", the analysts' API on " + apiServer.get().url() + " (e.g. " + apiServer.get().url()
                        + "lessons/top?program=2)") + "; Ctrl-C to stop.");
                out.flush();
                shutdown.await();
                err.println("stopping the detector" + (source == null ? "" : ", the Connect worker, the database") + " and the broker ...");
                err.flush();
                return 0;
            } finally {
                if (metricsServer.get() != null) {
                    metricsServer.get().close();
                }
                if (apiServer.get() != null) {
                    apiServer.get().close();
                }
            }
        }
    }

    private GeneratorSettings settings(final List<CohortRow> cohorts, final boolean database) {
        final long n = rows != null ? rows : database ? 15_000 : 60_000;
        final int span = days != null ? days : database ? 14 : 63;
        try {
            return new GeneratorSettings(seed, n, start, span, cohorts, ZoneId.of("America/Chicago"));
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private Path generate(final GeneratorSettings settings, final Path history, final PrintWriter out) throws Exception {
        final GenerationResult result = new HistoryGenerator(settings).write(history, history.resolveSibling("history.labels.jsonl"));
        out.printf("generated %,d rows over %d days from %s with %d injected anomalies: %s (labels in %s)%n", result.rows(), settings.days(), start,
                result.labels().size(), Reports.anomalyCounts(result.countsByKind()), history.resolveSibling("history.labels.jsonl"));
        out.flush();
        return history;
    }
}
