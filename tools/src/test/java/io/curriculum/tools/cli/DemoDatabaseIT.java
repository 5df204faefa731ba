package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.local.EmbeddedKafka;
import io.curriculum.tools.replay.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo through the database, as in production: its own throwaway MariaDB (mariadbd of the OS package
 * mariadb-server; without it this test fails, naming the package), rows INSERTed at a steady rate, Debezium's MariaDB
 * connector in an in-process Connect worker, the detector on the embedded broker, alerts printed as they fire.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoDatabaseIT {

    private static final int ROWS = 3_000;
    private static final Pattern DEMO_ID = Pattern.compile("replay (demo-\\d+) of ");
    private static final Pattern MARIADB_PID = Pattern.compile("mariadbd pid (\\d+)");

    @TempDir
    Path dir;

    @Test
    void shouldAlertOnTheInjectedScraperFromRowsInsertedIntoTheDatabaseAndStopTheDatabaseOnExit() throws Exception {
        // when the demo runs through the database on a small history and exits once the alerts have settled
        final Path data = dir.resolve("demo");
        final CommandRun run = CommandRun.of("demo", "--source", "database", "--exit", "--rows", String.valueOf(ROWS), "--days", "7",
                "--rate", "1500", "--data-dir", data.toString(), "--metrics-port", "0", "--api-port", "0");

        // then it started its own database and the connector, INSERTed every row and printed the scraper's alert
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("MariaDB on 127.0.0.1:", "registering connector curriculum-mariadb",
                "INSERTing its rows into curriculum_logs.logs at 1,500 rows/s");
        final String scraperIp = burstScraperIp(data.resolve("history.labels.jsonl"));
        assertThat(run.out()).contains("ALERT ").containsPattern(" BURST +open +ip " + Pattern.quote(scraperIp) + ":")
                .contains("rows processed    3,000 of 3,000 produced");
        final List<String> alerts = new ArrayList<>();
        for (final String line : Files.readAllLines(data.resolve("alerts.jsonl"))) {
            final JsonNode alert = JsonSerde.MAPPER.readTree(line);
            alerts.add(alert.path("rule").asText() + " " + alert.path("scope").asText() + " " + alert.path("ip").asText());
        }
        assertThat(alerts).contains("burst ip " + scraperIp);

        // and the database is stopped and gone
        final Matcher pid = MARIADB_PID.matcher(run.err());
        assertThat(pid.find()).as(run.err()).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).filter(ProcessHandle::isAlive)).as("mariadbd still running").isEmpty();
        assertThat(data.resolve("mariadb")).doesNotExist();

        // and what the detector read were Debezium's change events of those INSERTs (op c), not a replay's (op r)
        final Matcher id = DEMO_ID.matcher(run.out());
        assertThat(id.find()).as(run.out()).isTrue();
        final List<JsonNode> changes = logChanges(data.resolve("kafka"), Replay.topicsOf(id.group(1)).logs());
        assertThat(changes).hasSize(ROWS).allSatisfy(change -> {
            assertThat(change.path("op").asText()).isEqualTo("c");
            assertThat(change.path("source").path("connector").asText()).isEqualTo("mariadb");
            assertThat(change.path("source").path("table").asText()).isEqualTo("logs");
        });
    }

    private static String burstScraperIp(final Path labels) throws IOException {
        for (final String line : Files.readAllLines(labels)) {
            final JsonNode label = JsonSerde.MAPPER.readTree(line);
            if ("burst-scraper".equals(label.path("kind").asText())) {
                return label.path("ip").asText();
            }
        }
        throw new AssertionError("no burst-scraper in " + labels);
    }

    /** A change event; the replay's end-of-input record (no value) is not one. */
    private static void addChange(final List<JsonNode> changes, final byte[] value) throws IOException {
        if (value != null) {
            changes.add(JsonSerde.MAPPER.readTree(value));
        }
    }

    /** Every change event of the demo's logs topic, read from its broker's data directory, started again for it. */
    private static List<JsonNode> logChanges(final Path kafkaDir, final String topic) throws IOException {
        final List<JsonNode> changes = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, 0);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "demo-database-test",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (changes.size() < ROWS && System.nanoTime() < deadline) {
                for (final var record : consumer.poll(Duration.ofMillis(200))) {
                    addChange(changes, record.value());
                }
            }
            for (final var record : consumer.poll(Duration.ofSeconds(1))) {
                addChange(changes, record.value());
            }
        }
        return changes;
    }
}
