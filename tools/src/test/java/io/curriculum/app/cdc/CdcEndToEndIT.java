package io.curriculum.app.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.cdc.ConnectWorker;
import io.curriculum.cdc.ConnectWorkerMain;
import io.curriculum.cdc.ConnectorFile;
import io.curriculum.cdc.WorkerSettings;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.local.EmbeddedKafka;
import io.curriculum.tools.local.ThrowawayMariaDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Database → Debezium → Kafka → Streams → alert topic, for real: a throwaway MariaDB written to over JDBC, the
 * connector files of {@code connectors/} run by a Kafka Connect worker, an embedded broker and the detector. Every test
 * runs with both connector files: the production one (Debezium's MySQL connector, which streams from MariaDB 10.11 by
 * binlog position) and its MariaDB twin (by GTID).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CdcEndToEndIT {

    private static final Path CONNECTORS = Path.of("..", "connectors").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ZION = 29; // 2019-01-22 .. 2019-06-04, program 2

    @TempDir
    static Path databaseDir;
    private static ThrowawayMariaDb database;

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private DetectorRuntime detector;
    private ConnectWorker worker;
    private Process childWorker;
    private final List<ConsumerRecord<String, byte[]>> alerts = new CopyOnWriteArrayList<>();

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
    void stop() throws InterruptedException {
        if (childWorker != null && childWorker.isAlive()) {
            childWorker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
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
    @ValueSource(strings = {"mysql.json", "mariadb.json"})
    void shouldAlertOnAnInsertedBurstAndFollowCohortUpdatesAndDeletes(final String connectorFile) throws Exception {
        // given the detector and the connector on a fresh cluster, the real cohorts snapshotted
        startDetectorAndWorker(connectorFile);

        // when a scraper fetches 40 lessons within seconds
        insertBurst("204.44.112.76", 341, "2019-03-03T22:52:00");

        // then it is alerted, as a student of Zion
        assertThat(awaitAlert("burst|ip|204.44.112.76|2019-03-04T04:52:00Z").path("roles")).extracting(JsonNode::asText)
                .containsExactly("student");

        // when Zion's end date moves before the day of the next accesses
        execute("UPDATE cohorts SET end_date = '2019-03-01' WHERE id = " + ZION);
        await().atMost(WAIT).until(() -> cohort(ZION) != null && cohort(ZION).endDate().toString().equals("2019-03-01"));
        insertBurst("204.44.112.80", 342, "2019-03-03T22:54:00");

        // then its users are alumni
        assertThat(awaitAlert("burst|ip|204.44.112.80|2019-03-04T04:54:00Z").path("roles")).extracting(JsonNode::asText)
                .containsExactly("alumnus");

        // when Zion is deleted
        execute("DELETE FROM cohorts WHERE id = " + ZION);
        await().atMost(WAIT).until(() -> cohort(ZION) == null);
        insertBurst("204.44.112.81", 343, "2019-03-03T22:56:00");

        // then its users' role is unknown
        final JsonNode unknown = awaitAlert("burst|ip|204.44.112.81|2019-03-04T04:56:00Z");
        assertThat(unknown.path("roles")).extracting(JsonNode::asText).containsExactly("unknown");
        assertThat(unknown.path("cohorts").get(0).path("name").isNull()).isTrue();
        assertThat(unknown.path("cohorts").get(0).path("programId").asInt()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql.json", "mariadb.json"})
    void shouldDeadLetterARowWithAnImpossibleIp(final String connectorFile) throws Exception {
        // given
        startDetectorAndWorker(connectorFile);

        // when a row with an address that is no address is inserted
        final long id = insert("2019-03-03T22:52:00", "javascript-i/functions", 341, ZION, "97.105.19.610");

        // then it ends in the dead-letter topic, with its reason
        final ConsumerRecord<String, byte[]> dead = awaitRecords(config().topics().deadLetter(), 1).get(0);
        assertThat(header(dead, "dlq.reason")).isEqualTo("invalid-ip");
        assertThat(header(dead, "dlq.topic")).isEqualTo("curriculum.curriculum_logs.logs");
        assertThat(JsonSerde.MAPPER.readTree(dead.value()).path("after").path("id").asLong()).isEqualTo(id);
        assertThat(detector.detectorMetric("dead-lettered-total")).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql.json", "mariadb.json"})
    void shouldLoseNoRowAndCountNoRowTwiceWhenTheWorkerIsKilledMidStream(final String connectorFile) throws Exception {
        // given the detector, and the connector in a worker of its own JVM, committing offsets every 2 s
        startDetector();
        childWorker = startChildWorker(connectorFile, dir.resolve("worker-1.log"));
        await().atMost(WAIT).until(() -> detector.cohortsKnown() == 53);

        // when rows stream in (a scraper amid single page views) and the worker is killed -9 mid-stream, just after an
        // offset commit, so that the rows it sent since then are sent again by the next worker
        final List<Long> ids = new CopyOnWriteArrayList<>();
        final AtomicInteger written = new AtomicInteger();
        final Thread writer = new Thread(() -> writeSteadily(600, ids, written), "row-writer");
        writer.start();
        try (KafkaConsumer<String, byte[]> offsets = consumer()) {
            offsets.subscribe(List.of(WorkerSettings.DEFAULT_GROUP_ID + "-offsets"));
            final AtomicInteger commits = new AtomicInteger();
            await().atMost(WAIT).until(() -> {
                offsets.poll(Duration.ofMillis(50)).forEach(r -> commits.incrementAndGet());
                return commits.get() > 0 && written.get() > 150;
            });
            final int atCommit = written.get();
            await().atMost(WAIT).until(() -> written.get() >= atCommit + 60);
        }
        childWorker.destroyForcibly();
        assertThat(childWorker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        final int atKill = written.get();

        // and a new worker starts on the same offsets while the rows go on
        worker = ConnectWorker.start(WorkerSettings.forCluster(kafka.bootstrapServers(), Map.of())
                .withEnvironment(database.connectorEnvironment()));
        worker.deploy(ConnectorFile.read(CONNECTORS.resolve(connectorFile)), WAIT);
        writer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(written.get()).isEqualTo(600).isGreaterThan(atKill);

        // then every row reached the logs topic, some of them twice ...
        final List<ConsumerRecord<String, byte[]>> changes = awaitRecords(config().topics().logs(), 600, records ->
                records.stream().map(CdcEndToEndIT::rowId).collect(Collectors.toSet()).containsAll(ids));
        final Set<Long> distinct = new HashSet<>();
        changes.forEach(record -> distinct.add(rowId(record)));
        final int redelivered = changes.size() - distinct.size();
        assertThat(distinct).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(redelivered).as("rows sent again after the kill").isPositive();

        // ... and the detector absorbed each second copy, and alerted on the scraper once per scope
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(detector.detectorMetric("duplicates-absorbed-total")).isEqualTo(redelivered));
        final List<ConsumerRecord<String, byte[]>> scraperAlerts = awaitRecords(config().topics().suspiciousIp(), 2);
        assertThat(scraperAlerts).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "burst|ip|70.121.95.60|2019-03-04T16:00:00Z", "burst|client|70.121.95.60|150|2019-03-04T16:00:00Z");

        // ... and counted every row once: per lesson, the detector's hits are the database's SELECT COUNT(*)
        final Map<String, Long> rows = LessonCounts.inDatabase(database);
        assertThat(rows.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(600);
        await().atMost(WAIT).untilAsserted(() -> assertThat(LessonCounts.inDetector(detector)).isEqualTo(rows));
    }

    // ---- the system under test

    private DetectorConfig config() {
        final Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("state.dir", dir.resolve("streams").toString());
        props.put("detector.input.keyed-by-ip", "true"); // the connector files key logs by ip
        return DetectorConfig.from(props, Map.of());
    }

    private void startDetector() throws Exception {
        database.reset();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        final DetectorConfig config = config();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
        }
        detector = DetectorRuntime.start(config);
        detector.awaitRunning(WAIT);
    }

    private void startDetectorAndWorker(final String connectorFile) throws Exception {
        startDetector();
        worker = ConnectWorker.start(WorkerSettings.forCluster(kafka.bootstrapServers(), Map.of())
                .withEnvironment(database.connectorEnvironment()));
        worker.deploy(ConnectorFile.read(CONNECTORS.resolve(connectorFile)), WAIT);
        await().atMost(WAIT).until(() -> detector.cohortsKnown() == 53);
    }

    /** A worker in its own JVM (so it can be killed -9), its ${env:...} from the process environment. */
    private Process startChildWorker(final String connectorFile, final Path log) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ConnectWorkerMain.class.getName(), kafka.bootstrapServers(), "--offset-flush-interval-ms", "2000",
                CONNECTORS.resolve(connectorFile).toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(database.connectorEnvironment());
        final Process process = builder.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as(() -> read(log)).isTrue();
            return read(log).contains("connect worker ready at");
        });
        return process;
    }

    // ---- the database side

    /** 40 distinct lessons from one address within 8 seconds, one INSERT (one transaction) each. */
    private static void insertBurst(final String ip, final long user, final String start) throws SQLException {
        final LocalDateTime from = LocalDateTime.parse(start);
        for (int i = 0; i < 40; i++) {
            insert(from.plusSeconds(i / 5).toString(), "javascript-i/lesson-" + i, user, ZION, ip);
        }
    }

    private static long insert(final String localTime, final String path, final long user, final Integer cohort, final String ip)
            throws SQLException {
        final LocalDateTime time = LocalDateTime.parse(localTime);
        try (Connection connection = database.connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO logs (date, time, path, user_id, cohort_id, ip) VALUES (?, ?, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setObject(1, time.toLocalDate());
            insert.setObject(2, time.toLocalTime());
            insert.setString(3, path);
            insert.setLong(4, user);
            insert.setObject(5, cohort);
            insert.setString(6, ip);
            insert.executeUpdate();
            try (var keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void execute(final String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * {@code rows} INSERTs at about 200 a second, event times 2019-03-04 10:00 onwards (campus time): every second row
     * a scraper (user 150, a new lesson each time), the others single page views of distinct users and addresses.
     */
    private static void writeSteadily(final int rows, final List<Long> ids, final AtomicInteger written) {
        final LocalDateTime start = LocalDateTime.parse("2019-03-04T10:00:00");
        try (Connection connection = database.connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO logs (date, time, path, user_id, cohort_id, ip) VALUES (?, ?, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            final long begin = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                final LocalDateTime time = start.plusSeconds(i / 20);
                final boolean scraper = i % 2 == 0;
                insert.setObject(1, time.toLocalDate());
                insert.setObject(2, time.toLocalTime());
                insert.setString(3, scraper ? "java-ii/lesson-" + i : "javascript-i/functions");
                insert.setLong(4, scraper ? 150 : 1000 + i);
                insert.setInt(5, ZION);
                insert.setString(6, scraper ? "70.121.95.60" : "10.1." + (i / 250) + "." + (i % 250));
                insert.executeUpdate();
                try (var keys = insert.getGeneratedKeys()) {
                    keys.next();
                    ids.add(keys.getLong(1));
                }
                written.incrementAndGet();
                final long due = begin + TimeUnit.MILLISECONDS.toNanos(5L * (i + 1));
                final long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
        } catch (final SQLException | InterruptedException e) {
            throw new IllegalStateException("the row writer failed", e);
        }
    }

    // ---- the Kafka side

    private Cohort cohort(final int id) {
        final ReadOnlyKeyValueStore<String, Cohort> store = detector.streams().store(
                StoreQueryParameters.fromNameAndType(DetectorTopology.COHORT_STORE, QueryableStoreTypes.keyValueStore()));
        return store.get(String.valueOf(id));
    }

    private JsonNode awaitAlert(final String key) throws IOException {
        final ConsumerRecord<String, byte[]> alert = awaitRecords(config().topics().suspiciousIp(), 1,
                records -> records.stream().anyMatch(r -> r.key().equals(key))).stream()
                .filter(r -> r.key().equals(key)).findFirst().orElseThrow();
        return JsonSerde.MAPPER.readTree(alert.value());
    }

    private List<ConsumerRecord<String, byte[]>> awaitRecords(final String topic, final int atLeast) {
        return awaitRecords(topic, atLeast, records -> true);
    }

    /**
     * Reads {@code topic} from the start (read_committed) until it holds {@code atLeast} records and {@code done} holds,
     * then 2 s more: anything that arrives in that time (a duplicate) is in the result too.
     */
    private List<ConsumerRecord<String, byte[]>> awaitRecords(final String topic, final int atLeast,
                                                              final java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= atLeast && done.test(records);
            });
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static long rowId(final ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? -1 : JsonSerde.MAPPER.readTree(record.value()).path("after").path("id").asLong(-1);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(final ConsumerRecord<String, byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String read(final Path log) {
        try {
            return Files.readString(log);
        } catch (final IOException e) {
            return "";
        }
    }
}
