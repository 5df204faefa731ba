package io.curriculum.app.cdc;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.cdc.ConnectWorker;
import io.curriculum.cdc.ConnectorFile;
import io.curriculum.cdc.WorkerSettings;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.local.EmbeddedKafka;
import io.curriculum.tools.local.ThrowawayMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The CDC benchmark behind {@code bench/cdc-latency.sh}: a throwaway MariaDB, an embedded broker, the detector and
 * the Connect worker running a connector file, all on this machine. Phase 1 INSERTs single rows (one transaction
 * each) at a steady rate (after a 15 s warm-up at that rate, which is not measured), 30% of them scrapers of 30 distinct lessons each, and measures, for every scraper, the time
 * from the commit of its 30th row (the one that crosses the burst threshold) to the arrival of its alert at a
 * read_committed consumer; the other rows are 2,000 readers' single page views. Phase 2 INSERTs a backlog as fast as the database takes it (multi-row statements) and
 * measures the sustained rate from the first INSERT to the alert of a scraper written after the last row.
 *
 * <p>Arguments: {@code [rows-per-second=1000] [seconds=60] [connector-file=connectors/mysql.json]
 * [commit-interval-ms=100] [backlog-rows=200000]}.
 */
public final class CdcLatencyBench {

    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");
    private static final int PAGES_PER_SCRAPER = 30;

    /** Inserted at the steady rate before the measured minute begins. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> alertedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> capturedAt = new ConcurrentHashMap<>();
    private int scrapers;

    private CdcLatencyBench() {
    }

    public static void main(final String[] args) throws Exception {
        final int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        final Path connector = Path.of(args.length > 2 ? args[2] : "connectors/mysql.json").toAbsolutePath();
        final String commitInterval = args.length > 3 ? args[3] : "100";
        final int backlog = args.length > 4 ? Integer.parseInt(args[4]) : 200_000;
        new CdcLatencyBench().run(rate, seconds, connector, commitInterval, backlog);
        System.exit(0);
    }

    private void run(final int rate, final int seconds, final Path connector, final String commitInterval, final int backlog)
            throws Exception {
        final Path dir = Files.createTempDirectory("cdc-bench");
        System.out.printf("CDC benchmark: %s, %d rows/s for %d s, commit.interval.ms=%s, then a backlog of %,d rows (work dir %s)%n",
                connector.getFileName(), rate, seconds, commitInterval, backlog, dir);
        try (ThrowawayMariaDb database = ThrowawayMariaDb.start(dir.resolve("mariadb"));
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            props.put("state.dir", dir.resolve("streams").toString());
            props.put("commit.interval.ms", commitInterval);
            props.put("detector.input.keyed-by-ip", "true");
            final DetectorConfig config = DetectorConfig.from(props, Map.of());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
            }
            try (DetectorRuntime detector = DetectorRuntime.start(config)) {
                detector.awaitRunning(Duration.ofSeconds(60));
                try (ConnectWorker worker = ConnectWorker.start(WorkerSettings.forCluster(kafka.bootstrapServers(), Map.of())
                        .withEnvironment(database.connectorEnvironment()))) {
                    worker.deploy(ConnectorFile.read(connector), Duration.ofSeconds(60));
                    awaitCohorts(detector);
                    final AtomicBoolean stop = new AtomicBoolean();
                    final Thread reader = new Thread(() -> readAlerts(kafka.bootstrapServers(), config.topics().suspiciousIp(), config.topics().logs(), stop), "alert-reader");
                    reader.start();
                    steady(database, rate, seconds);
                    awaitAlerts(scrapers, Duration.ofSeconds(30));
                    reportLatency(rate, seconds);
                    backlog(database, backlog);
                    stop.set(true);
                    reader.join(5000);
                }
            }
        }
    }

    /** Phase 1: single-row transactions at {@code rate} per second; 3 rows in 10 belong to scrapers. */
    private void steady(final ThrowawayMariaDb database, final int rate, final int seconds) throws SQLException, InterruptedException {
        // a warm-up at the same rate first, not measured: the JIT compiles the hot paths of every component in it
        final int warmUpRows = rate * (int) WARM_UP.toSeconds();
        final int rows = warmUpRows + rate * seconds;
        int scraperRows = 0;
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO logs (date, time, path, user_id, cohort_id, ip) VALUES (?, ?, ?, ?, ?, ?)")) {
            final long begin = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                final LocalDateTime now = LocalDateTime.now(CAMPUS);
                insert.setObject(1, now.toLocalDate());
                insert.setObject(2, now.toLocalTime().withNano(0));
                insert.setInt(5, 29);
                final String ip;
                if (i % 10 < 3) {
                    final int scraper = scraperRows / PAGES_PER_SCRAPER;
                    final int page = scraperRows % PAGES_PER_SCRAPER;
                    ip = "100." + (scraper / 256 % 256) + "." + (scraper % 256) + ".1";
                    insert.setString(3, "java-iii/lesson-" + page);
                    insert.setLong(4, 100_000 + scraper);
                    scraperRows++;
                    insert.setString(6, ip);
                    insert.executeUpdate();
                    if (page == PAGES_PER_SCRAPER - 1 && i >= warmUpRows) {
                        committedAt.put(ip, System.nanoTime());
                        scrapers++;
                    }
                } else {
                    final int visitor = i % 2_000; // 2,000 readers, each a page every few seconds
                    ip = "10.0." + (visitor / 256) + "." + (visitor % 256);
                    insert.setString(3, "javascript-i/functions");
                    insert.setLong(4, 1_000 + i % 5_000);
                    insert.setString(6, ip);
                    insert.executeUpdate();
                }
                final long ahead = begin + TimeUnit.SECONDS.toNanos(i + 1) / rate - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
            final double elapsed = (System.nanoTime() - begin) / 1e9;
            System.out.printf("phase 1: %,d single-row INSERTs in %.1f s (%,.0f rows/s achieved), of which the first %d s warm up; "
                    + "%d scrapers measured after it%n", rows, elapsed, rows / elapsed, WARM_UP.toSeconds(), scrapers);
        }
    }

    private void reportLatency(final int rate, final int seconds) {
        final List<Double> captured = latencies(capturedAt);
        if (!captured.isEmpty()) {
            System.out.printf("phase 1: INSERT commit -> change event at a consumer of the logs topic: p50 %.1f ms, p90 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms%n", percentile(captured, 50), percentile(captured, 90), percentile(captured, 99),
                    captured.get(captured.size() - 1));
        }
        final List<Double> millis = latencies(alertedAt);
        if (millis.isEmpty()) {
            System.out.println("phase 1: no alert arrived");
            return;
        }
        System.out.printf("phase 1: INSERT commit -> alert at a read_committed consumer, %d of %d scrapers alerted: "
                        + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", millis.size(), committedAt.size(),
                percentile(millis, 50), percentile(millis, 90), percentile(millis, 99), millis.get(millis.size() - 1));
    }

    private List<Double> latencies(final Map<String, Long> arrivals) {
        final List<Double> millis = new ArrayList<>();
        committedAt.forEach((ip, committed) -> {
            final Long alerted = arrivals.get(ip);
            if (alerted != null) {
                millis.add((alerted - committed) / 1e6);
            }
        });
        Collections.sort(millis);
        return millis;
    }

    /** Phase 2: {@code rows} rows in multi-row INSERTs as fast as they go, then a marker scraper. */
    private void backlog(final ThrowawayMariaDb database, final int rows) throws SQLException, InterruptedException {
        if (rows <= 0) {
            return;
        }
        final int perStatement = 500;
        final StringBuilder sql = new StringBuilder("INSERT INTO logs (date, time, path, user_id, cohort_id, ip) VALUES ");
        for (int i = 0; i < perStatement; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
        }
        final long begin = System.nanoTime();
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            for (int written = 0; written < rows; written += perStatement) {
                final LocalDateTime now = LocalDateTime.now(CAMPUS);
                for (int j = 0; j < perStatement; j++) {
                    final int i = written + j;
                    insert.setObject(j * 6 + 1, now.toLocalDate());
                    insert.setObject(j * 6 + 2, now.toLocalTime().withNano(0));
                    insert.setString(j * 6 + 3, "javascript-i/lesson-" + (i % 7));
                    insert.setLong(j * 6 + 4, 1_000 + i % 5_000);
                    insert.setInt(j * 6 + 5, 29);
                    insert.setString(j * 6 + 6, "172." + (16 + i / 65536 % 16) + "." + (i / 256 % 256) + "." + (i % 256));
                }
                insert.executeUpdate();
            }
            final double inserted = (System.nanoTime() - begin) / 1e9;
            final String marker = "192.0.2.1";
            try (PreparedStatement one = connection.prepareStatement(
                    "INSERT INTO logs (date, time, path, user_id, cohort_id, ip) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int page = 0; page < PAGES_PER_SCRAPER; page++) {
                    final LocalDateTime now = LocalDateTime.now(CAMPUS);
                    one.setObject(1, now.toLocalDate());
                    one.setObject(2, now.toLocalTime().withNano(0));
                    one.setString(3, "java-iii/marker-" + page);
                    one.setLong(4, 99);
                    one.setInt(5, 29);
                    one.setString(6, marker);
                    one.executeUpdate();
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!alertedAt.containsKey(marker) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!alertedAt.containsKey(marker)) {
                System.out.println("phase 2: the marker's alert did not arrive within 300 s");
                return;
            }
            final double total = (alertedAt.get(marker) - begin) / 1e9;
            System.out.printf("phase 2: %,d rows INSERTed in %.1f s (%,.0f rows/s); all through Debezium and the detector in %.1f s: "
                    + "sustained %,.0f rows/s%n", rows, inserted, rows / inserted, total, (rows + PAGES_PER_SCRAPER) / total);
        }
    }

    private void readAlerts(final String bootstrap, final String topic, final String logs, final AtomicBoolean stop) {
        final Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic, logs));
            final String crossing = "lesson-" + (PAGES_PER_SCRAPER - 1) + "\"";
            while (!stop.get()) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(10))) {
                    if (record.topic().equals(logs)) {
                        if (record.value() != null && new String(record.value(), java.nio.charset.StandardCharsets.UTF_8).contains(crossing)) {
                            capturedAt.putIfAbsent(record.key().replaceAll("[^0-9.]", ""), System.nanoTime());
                        }
                        continue;
                    }
                    final String[] key = record.key().split("\\|");
                    if (key.length >= 3 && "ip".equals(key[1])) {
                        alertedAt.putIfAbsent(key[2], System.nanoTime());
                    }
                }
            }
        }
    }

    private void awaitAlerts(final int expected, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (committedAt.keySet().stream().filter(alertedAt::containsKey).count() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void awaitCohorts(final DetectorRuntime detector) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (detector.cohortsKnown() < 53) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cohorts did not reach the detector within 60 s");
            }
            Thread.sleep(50);
        }
    }

    private static double percentile(final List<Double> sorted, final int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
