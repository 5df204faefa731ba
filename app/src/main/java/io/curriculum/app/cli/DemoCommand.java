package io.curriculum.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.app.generate.GenerationResult;
import io.curriculum.app.generate.GeneratorSettings;
import io.curriculum.app.generate.HistoryGenerator;
import io.curriculum.app.history.CohortRow;
import io.curriculum.app.history.CohortsCsv;
import io.curriculum.app.api.AnalystApi;
import io.curriculum.app.history.HistoryReader;
import io.curriculum.app.metrics.MetricsServer;
import io.curriculum.app.replay.Replay;
import io.curriculum.app.replay.ReplaySummary;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.Directories;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: the whole product on one machine, with nothing but Java. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Shows the whole detector at work with nothing but Java.",
                "",
                "It starts an embedded Kafka broker and the detector, generates a synthetic history with injected scrapers, "
                        + "crawlers and lesson spikes and drops (or takes --file), replays it through the detector and prints each alert as it fires, then a summary. It then keeps the broker and the "
                        + "detector's topics up (demo-<millis>.*, named in its output) until Ctrl-C, so you can look at them with any Kafka client."})
final class DemoCommand implements Callable<Integer> {

    private static final String DEMO_ID = "demo";

    @Spec
    private CommandSpec spec;

    @Option(names = "--file", paramLabel = "FILE", description = "Replay this history file instead of a generated one (export format or CSV, gzip or not).")
    private Path file;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "60000", description = "Rows to generate. Default: ${DEFAULT-VALUE}.")
    private long rows;

    @Option(names = "--days", paramLabel = "D", defaultValue = "63",
            description = "Days of history to generate; lesson bands need 4 weeks of history before they judge. Default: ${DEFAULT-VALUE}.")
    private int days;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2019-01-07", description = "First day of the generated history. Default: ${DEFAULT-VALUE}.")
    private LocalDate start;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the generated history. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "0", converter = Converters.Speed.class,
            description = "0 (default): as fast as possible; N: N times real time (86400: a day of history per second).")
    private double speed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker, the detector's state and the generated history live. Default: a temporary directory, deleted at the end.")
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
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        final GeneratorSettings settings = file != null ? null : settings(cohorts);
        if (file != null) {
            HistoryReader.requireReadable(file);
        }
        final boolean temporary = dataDir == null;
        try (ShutdownSignal shutdown = ShutdownSignal.register(spec.name())) {
            final Path work = temporary ? Files.createTempDirectory("detector-demo-") : Files.createDirectories(dataDir);
            try {
                return run(work, cohorts, settings, shutdown, out, err);
            } catch (final Exception e) {
                return shutdown.interrupted(e, err);
            } finally {
                if (temporary) {
                    Directories.deleteQuietly(work);
                }
            }
        }
    }

    /** Runs the demo in {@code work}; closes the detector, then the broker, before it returns or throws. */
    private int run(final Path work, final List<CohortRow> cohorts, final GeneratorSettings settings, final ShutdownSignal shutdown,
                    final PrintWriter out, final PrintWriter err) throws Exception {
        try (Cluster cluster = Cluster.open(kafka, work.resolve("kafka"), err)) {
            final Path history = file != null ? file : generate(settings, work.resolve("history.txt"), out);
            final ZoneId zone = cluster.config().campusZone();
            final Replay replay = new Replay(cluster.config(), cluster.clientProperties(), DEMO_ID + "-" + System.currentTimeMillis(), work.resolve("streams"));
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
                public void alert(final String topic, final JsonNode alert) {
                    final boolean band = alert.path("rule").asText().startsWith("band-");
                    final String rule = alert.path("rule").asText();
                    final boolean news = "open".equals(alert.path("status").asText()) || "band-drop".equals(rule) || "inactive-student".equals(rule);
                    if (news && (bandAlerts || !band)) {
                        print(out, "ALERT " + Reports.alert(alert, zone));
                    }
                }
            };
            try (replay) {
                final ReplaySummary summary = replay.run(history, cohorts, speed, work.resolve("alerts.jsonl"), progress);
                progress.print("");
                Reports.summary(summary, out);
                if (exit) {
                    return 0;
                }
                out.println();
                out.println("The detector and the broker stay up on " + cluster.bootstrapServers() + " with the demo's topics ("
                        + summary.replayId() + ".*)" + (metricsServer.get() == null ? "" : ", metrics on " + metricsServer.get().url())
                        + (apiServer.get() == null ? "" : ", the analysts' API on " + apiServer.get().url() + " (e.g. " + apiServer.get().url()
                        + "lessons/top?program=2)") + "; Ctrl-C to stop.");
                out.flush();
                shutdown.await();
                err.println("stopping the detector and the broker ...");
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

    private GeneratorSettings settings(final List<CohortRow> cohorts) {
        try {
            return new GeneratorSettings(seed, rows, start, days, cohorts, ZoneId.of("America/Chicago"));
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private Path generate(final GeneratorSettings settings, final Path history, final PrintWriter out) throws Exception {
        final GenerationResult result = new HistoryGenerator(settings).write(history, history.resolveSibling("history.labels.jsonl"));
        out.printf("generated %,d rows over %d days from %s with %d injected anomalies: %s (labels in %s)%n", result.rows(), days, start,
                result.labels().size(), Reports.anomalyCounts(result.countsByKind()), history.resolveSibling("history.labels.jsonl"));
        out.flush();
        return history;
    }
}
