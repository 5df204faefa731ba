package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.cli.Launcher;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as an operator runs it: its own JVM on the embedded default (broker data and detector state in one
 * data directory), stopped with SIGTERM, started again on the same directory. The restarted detector remembers
 * the burst it already alerted on and the rows it already counted.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunRestartIT {

    private static final String SCRAPER = "204.44.112.76";

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStopCleanlyOnSigtermAndResumeWithoutReAlertingAfterARestart() throws Exception {
        // given the detector running on the embedded default
        final int port = freePort();
        final String bootstrap = "127.0.0.1:" + port;
        process = start(port, "first.log");
        awaitRunning("first.log");

        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            // when a cohort and a scraper's burst arrive
            send(producer, "curriculum.curriculum_logs.cohorts", "{\"id\":29}",
                    "{\"op\":\"r\",\"after\":{\"id\":29,\"name\":\"Zion\",\"slack\":\"#zion\",\"start_date\":17918,\"end_date\":18051,"
                            + "\"created_at\":null,\"updated_at\":null,\"deleted_at\":null,\"program_id\":2}}");
            // the cohort reaches the GlobalKTable through the detector's own topic, committed
            await("the cohort on curriculum-detector-cohort-table").atMost(Duration.ofSeconds(30))
                    .until(() -> committedEnd(bootstrap, "curriculum-detector-cohort-table") > 0);
            for (int i = 0; i < 40; i++) {
                send(producer, "curriculum.curriculum_logs.logs", "{\"id\":" + (1000 + i) + "}", row(1000 + i, "2019-03-03T22:52:0" + i / 7, i, SCRAPER, 341));
            }

            // then it alerts on it, once per scope
            final List<ConsumerRecord<String, byte[]>> alerts = readAlerts(bootstrap, 2);
            assertThat(alerts).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                    "burst|ip|204.44.112.76|2019-03-04T04:52:00Z", "burst|client|204.44.112.76|341|2019-03-04T04:52:00Z");
            final JsonNode alert = JsonSerde.MAPPER.readTree(alerts.get(0).value());
            assertThat(alert.path("roles").get(0).asText()).isEqualTo("student");

            // when it gets SIGTERM
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("first.log"))).contains("stopped cleanly");
        }

        // and starts again on the same data directory, the burst goes on, a few rows come again, and another client bursts
        process = start(port, "second.log");
        awaitRunning("second.log");
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 40; i < 60; i++) {
                send(producer, "curriculum.curriculum_logs.logs", "{\"id\":" + (1000 + i) + "}", row(1000 + i, "2019-03-03T22:52:07", i, SCRAPER, 341));
            }
            for (int i = 30; i < 40; i++) {
                send(producer, "curriculum.curriculum_logs.logs", "{\"id\":" + (1000 + i) + "}", row(1000 + i, "2019-03-03T22:52:0" + i / 7, i, SCRAPER, 341));
            }
            for (int i = 0; i < 30; i++) {
                send(producer, "curriculum.curriculum_logs.logs", "{\"id\":" + (5000 + i) + "}", row(5000 + i, "2019-03-03T22:53:00", i, "8.8.8.8", 7));
            }
        }

        // then the only new alerts are the other client's: the scraper's episode was remembered
        final List<ConsumerRecord<String, byte[]>> all = readAlerts(bootstrap, 4);
        assertThat(all).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "burst|ip|204.44.112.76|2019-03-04T04:52:00Z", "burst|client|204.44.112.76|341|2019-03-04T04:52:00Z",
                "burst|ip|8.8.8.8|2019-03-04T04:53:00Z", "burst|client|8.8.8.8|7|2019-03-04T04:53:00Z");
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("second.log"))).contains("stopped cleanly");
    }

    private Process start(final int port, final String log) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                "run", "--data-dir", dir.resolve("data").toString(), "--kafka-port", String.valueOf(port), "--metrics-port", "0", "--api-port", "0")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    private void awaitRunning(final String log) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as(() -> readQuietly(log)).isTrue();
            return readQuietly(log).contains("Ctrl-C or SIGTERM stops it.");
        });
    }

    private String readQuietly(final String log) {
        try {
            return Files.readString(dir.resolve(log));
        } catch (final IOException e) {
            return "";
        }
    }

    private static String row(final long id, final String localTime, final int page, final String ip, final long user) {
        final LocalDateTime time = LocalDateTime.parse(localTime);
        return "{\"op\":\"c\",\"after\":{\"id\":" + id + ",\"date\":" + time.toLocalDate().toEpochDay() + ",\"time\":"
                + time.toLocalTime().toNanoOfDay() / 1000 + ",\"path\":\"javascript-i/page-" + page + "\",\"user_id\":" + user
                + ",\"cohort_id\":29,\"ip\":\"" + ip + "\"}}";
    }

    private static List<ConsumerRecord<String, byte[]>> readAlerts(final String bootstrap, final int atLeast) {
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("curriculum.alerts.suspicious-ip"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= atLeast;
            });
            // anything more would be a second alert: give it time to show
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The end of a one-partition topic as a read_committed consumer sees it: records of committed transactions only. */
    private static long committedEnd(final String bootstrap, final String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(partition).get(10, TimeUnit.SECONDS).offset();
        } catch (final ExecutionException e) {
            return 0; // the detector has not created the topic yet
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer, final String topic, final String key, final String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
