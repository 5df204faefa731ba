package io.curriculum.tools.cli;

import io.curriculum.app.cli.Cluster;
import io.curriculum.app.runtime.Directories;
import io.curriculum.cdc.ConnectWorker;
import io.curriculum.cdc.ConnectorFile;
import io.curriculum.cdc.WorkerSettings;
import io.curriculum.detector.config.TopicNames;
import io.curriculum.tools.local.BundledConnectors;
import io.curriculum.tools.local.ThrowawayMariaDb;
import io.curriculum.tools.replay.DatabaseRowSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The demo's source database and its change data capture, as in production but all on this machine: a throwaway
 * MariaDB of the demo's own (its data in the demo's data directory, deleted on close), a Kafka Connect worker in this
 * process on the demo's cluster, and the MariaDB connector file of {@code connectors/} as packaged in the jar. Two
 * settings of the file are changed so that the demo never touches the topics of a live system on the same cluster:
 * {@code topic.prefix} is the demo's id (Debezium then writes {@code <id>.curriculum_logs.logs} and {@code .cohorts},
 * the replay's own topics) and the schema history topic is {@code <id>.schema-history}; the Connect group is
 * {@code <id>-cdc}.
 */
final class DemoDatabase implements AutoCloseable {

    private static final Duration CONNECTOR_TIMEOUT = Duration.ofSeconds(120);
    /** Debezium's binlog client logs every connection through java.util.logging, on stderr amid the demo's output. */
    private static final Logger BINLOG_CLIENT = Logger.getLogger("com.github.shyiko.mysql.binlog");

    private final Path dir;
    private final ThrowawayMariaDb database;
    private final WorkerSettings workerSettings;
    private final ConnectorFile connector;
    private final PrintWriter err;
    private ConnectWorker worker;

    private DemoDatabase(final Path dir, final ThrowawayMariaDb database, final WorkerSettings workerSettings, final ConnectorFile connector,
                         final PrintWriter err) {
        this.dir = dir;
        this.database = database;
        this.workerSettings = workerSettings;
        this.connector = connector;
        this.err = err;
    }

    /**
     * Starts the database in {@code dir} (a server left there by a killed run is replaced); the Connect worker starts
     * when the capture does, once the detector runs, as with {@code run --cdc}.
     */
    static DemoDatabase start(final Path dir, final Cluster cluster, final String demoId, final PrintWriter err) throws Exception {
        BINLOG_CLIENT.setLevel(Level.WARNING);
        Directories.deleteQuietly(dir);
        err.println("starting a throwaway MariaDB server (data in " + dir.toAbsolutePath() + ") ...");
        err.flush();
        final ThrowawayMariaDb database = ThrowawayMariaDb.start(dir);
        try {
            err.println("MariaDB on 127.0.0.1:" + database.port() + " (mariadbd pid " + database.pid()
                    + "): curriculum_logs from connectors/schema.sql, the real cohorts table loaded");
            final ConnectorFile file = ConnectorFile.read(BundledConnectors.copy(BundledConnectors.MARIADB, dir));
            final Map<String, String> config = new HashMap<>(file.config());
            config.put("topic.prefix", demoId);
            config.put("schema.history.internal.kafka.topic", demoId + ".schema-history");
            final ConnectorFile connector = new ConnectorFile(file.path(), file.name(), config);
            final Map<String, String> client = new HashMap<>();
            cluster.clientProperties().forEach((key, value) -> client.put(key.toString(), value.toString()));
            client.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
            return new DemoDatabase(dir, database, WorkerSettings.forCluster(cluster.bootstrapServers(), client)
                    .withGroupId(demoId + "-cdc").withEnvironment(database.connectorEnvironment()), connector, err);
        } catch (final Exception e) {
            database.close();
            Directories.deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * Where the demo's rows go: INSERTed at {@code rowsPerSecond}; the connector is registered once the cohorts are in
     * the database (its snapshot carries them), and then captures every row into {@code topics.logs()}.
     */
    DatabaseRowSink sink(final double rowsPerSecond, final Properties clientProperties, final TopicNames topics) throws SQLException {
        return new DatabaseRowSink(database.connect(), rowsPerSecond, new DatabaseRowSink.Capture() {
            @Override
            public void start() throws InterruptedException {
                err.println("starting a Kafka Connect worker (group " + workerSettings.groupId() + ") ...");
                err.flush();
                worker = ConnectWorker.start(workerSettings);
                err.println("registering connector " + connector.name() + " (connectors/" + BundledConnectors.MARIADB
                        + ", topic.prefix " + config("topic.prefix") + ") with the worker at " + worker.restUrl() + " ...");
                err.flush();
                worker.deploy(connector, CONNECTOR_TIMEOUT);
            }

            @Override
            public String status() {
                return worker == null ? "no worker" : worker.status(connector.name());
            }
        }, clientProperties, topics.logs());
    }

    private String config(final String key) {
        return connector.config().get(key);
    }

    /** Stops the worker (its connector commits its offsets), then the database by its pid, and deletes its data. */
    @Override
    public void close() {
        try {
            if (worker != null) {
                worker.close();
            }
        } finally {
            database.close();
            Directories.deleteQuietly(dir);
        }
    }
}
