package io.curriculum.app.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.cdc.ConnectWorker;
import io.curriculum.cdc.ConnectorFile;
import io.curriculum.cdc.WorkerSettings;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.local.EmbeddedKafka;
import io.curriculum.tools.local.ThrowawayMariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the pipeline around the detector, with the MariaDB connector file ({@code connectors/mariadb.json}), a
 * throwaway MariaDB, an in-process Connect worker, the embedded broker and the detector: a broker bounced (stopped and
 * started on the same data directory and port) while rows flow, and a column added to {@code logs} while streaming,
 * followed by a Connect restart. In each case every row is counted once: the detector's per-lesson counts equal
 * {@code SELECT COUNT(*)} of the database, and nothing is dead-lettered.
 *
 * <p>Not with {@code connectors/mysql.json}: Debezium's MySQL connector, streaming from MariaDB 10.11 by binlog file and
 * position, loses the first row written after a graceful restart of its task (measured: a worker restart, and a broker
 * bounce, lost one row each). The MariaDB connector resumes by GTID and loses none.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CdcFaultsIT {

    private static final Path CONNECTORS = Path.of("..", "connectors").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int ZION = 29;
    private static final int LESSONS = 12;

    @TempDir
    static Path databaseDir;
    private static ThrowawayMariaDb database;

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private DetectorRuntime detector;
    private ConnectWorker worker;
    private final AtomicInteger nextRow = new AtomicInteger();

    @BeforeAll
    static void startDatabase() throws Exception {
        database = ThrowawayMariaDb.start(databaseDir);
    }

    @AfterAll
    static void stopDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (detector != null) {
            detector.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb.json"})
    void shouldCountEveryRowOnceWhenTheBrokerIsBouncedWhileRowsFlow(final String connectorFile) throws Exception {
        // given the pipeline running, and rows written at a steady rate
        startPipeline(connectorFile);
        final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            try {
                write(1_200, 100, false);
            } catch (final Exception e) {
                writeFailure.set(e);
            }
        }, "row-writer");
        writer.start();
        await().atMost(WAIT).until(() -> nextRow.get() >= 300);

        // when the broker stops and starts again on the same data directory and port while rows go on
        final Path data = kafka.dataDir();
        final int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        kafka.close();
        final int atStop = nextRow.get();
        kafka = EmbeddedKafka.start(data, port);
        final int atStart = nextRow.get();
        writer.join(WAIT.toMillis());
        assertThat(writeFailure.get()).isNull();
        assertThat(atStart).as("rows written while the broker was down").isGreaterThan(atStop);

        // then every row is counted once, and the detector kept running
        awaitCountsAsInTheDatabase();
        assertThat(detector.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(detector.failure()).isNull();
        assertThat(detector.detectorMetric("dead-lettered-total")).isZero();
        System.out.printf("broker bounced after %d rows, up again after %d; %d rows counted once each%n", atStop, atStart, nextRow.get());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb.json"})
    void shouldIgnoreAnAddedColumnAndResumeAfterAConnectRestart(final String connectorFile) throws Exception {
        // given the pipeline running, rows streamed
        startPipeline(connectorFile);
        write(200, 200, false);

        try {
            // when a column is added to logs while streaming, rows fill it, and the Connect worker restarts
            database.changeSchema("ALTER TABLE logs ADD COLUMN referrer VARCHAR(255) NULL");
            write(200, 200, true);
            worker.close();
            worker = startWorker(connectorFile);
            write(200, 200, true);

            // then every row is counted once and none is dead-lettered
            awaitCountsAsInTheDatabase();
            assertThat(detector.detectorMetric("dead-lettered-total")).isZero();
            assertThat(detector.failure()).isNull();
            final ConnectorFile connector = ConnectorFile.read(CONNECTORS.resolve(connectorFile));
            assertThat(worker.status(connector.name())).contains("RUNNING");

            // and the connector's schema history, which holds the change, is kept forever
            final String history = connector.config().get("schema.history.internal.kafka.topic");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, history);
                final Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
                assertThat(Long.parseLong(config.get("retention.ms").value())).isIn(-1L, Long.MAX_VALUE);
                assertThat(config.get("retention.bytes").value()).isEqualTo("-1");
            }
        } finally {
            database.changeSchema("ALTER TABLE logs DROP COLUMN referrer"); // MySQL syntax: Debezium's parser refuses MariaDB's IF EXISTS
        }
    }

    // ---- the pipeline

    private DetectorConfig config() {
        final Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("state.dir", dir.resolve("streams").toString());
        props.put("detector.input.keyed-by-ip", "true");
        return DetectorConfig.from(props, Map.of());
    }

    private void startPipeline(final String connectorFile) throws Exception {
        database.reset();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        final DetectorConfig config = config();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
        }
        detector = DetectorRuntime.start(config);
        detector.awaitRunning(WAIT);
        worker = startWorker(connectorFile);
        await().atMost(WAIT).until(() -> detector.cohortsKnown() == 53);
    }

    private ConnectWorker startWorker(final String connectorFile) throws InterruptedException {
        final ConnectWorker started = ConnectWorker.start(WorkerSettings.forCluster(kafka.bootstrapServers(), Map.of())
                .withEnvironment(database.connectorEnvironment()));
        started.deploy(ConnectorFile.read(CONNECTORS.resolve(connectorFile)), WAIT);
        return started;
    }

    /**
     * {@code rows} INSERTs at about {@code perSecond}, one transaction each, event times 10 a second from 2019-03-04 10:00
     * campus time, spread over {@link #LESSONS} lessons and many users and addresses; with {@code referrer} the new column too.
     */
    private void write(final int rows, final int perSecond, final boolean referrer) throws SQLException, InterruptedException {
        final LocalDateTime start = LocalDateTime.parse("2019-03-04T10:00:00");
        final String sql = "INSERT INTO logs (date, time, path, user_id, cohort_id, ip" + (referrer ? ", referrer" : "")
                + ") VALUES (?, ?, ?, ?, ?, ?" + (referrer ? ", ?" : "") + ")";
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(sql)) {
            final long begin = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                final int row = nextRow.get();
                final LocalDateTime time = start.plusNanos(100_000_000L * row);
                insert.setObject(1, time.toLocalDate());
                insert.setObject(2, time.toLocalTime());
                insert.setString(3, "javascript-i/lesson-" + row % LESSONS);
                insert.setLong(4, 1000 + row % 300);
                insert.setInt(5, ZION);
                insert.setString(6, "10.2." + row % 200 + "." + (1 + row % 250));
                if (referrer) {
                    insert.setString(7, "https://search.example/?q=" + row);
                }
                insert.executeUpdate();
                nextRow.incrementAndGet();
                final long ahead = begin + TimeUnit.SECONDS.toNanos(i + 1) / perSecond - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
        }
    }

    // ---- the two counts

    private void awaitCountsAsInTheDatabase() throws SQLException {
        final Map<String, Long> expected = LessonCounts.inDatabase(database);
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(nextRow.get());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(LessonCounts.inDetector(detector))
                .as(() -> "processed " + detector.detectorMetric("accesses-processed-total") + ", duplicates "
                        + detector.detectorMetric("duplicates-absorbed-total") + ", ignored " + detector.detectorMetric("log-changes-ignored-total")
                        + ", dead " + detector.detectorMetric("dead-lettered-total") + "; rows not in the logs topic: " + rowsNotStreamed())
                .isEqualTo(expected));
    }

    /** Ids of rows in the database without a change event in the logs topic, with their time and the topic's size. */
    private String rowsNotStreamed() {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, date, time FROM logs ORDER BY id");
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                     "group.id", "diagnosis-" + System.nanoTime(), "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final Set<Long> streamed = new HashSet<>();
            consumer.subscribe(List.of(config().topics().logs()));
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until) {
                for (final var record : consumer.poll(Duration.ofMillis(200))) {
                    streamed.add(JsonSerde.MAPPER.readTree(record.value()).path("after").path("id").asLong(-1));
                }
            }
            final List<String> missing = new ArrayList<>();
            int index = 0;
            while (rows.next()) {
                if (!streamed.contains(rows.getLong(1))) {
                    missing.add(rows.getLong(1) + " (row " + index + ", " + rows.getString(2) + " " + rows.getString(3) + ")");
                }
                index++;
            }
            return missing + " of " + streamed.size() + " streamed";
        } catch (final Exception e) {
            return "unknown (" + e + ")";
        }
    }
}
