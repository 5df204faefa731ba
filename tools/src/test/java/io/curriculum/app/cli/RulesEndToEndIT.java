package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.cli.CommandRun;
import io.curriculum.tools.cli.Launcher;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules publish} against a running detector ({@code run} in its own JVM on the embedded broker): the lower threshold
 * it publishes is in force without a restart, {@code rules show} says so, and the alerts it raises name its version.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RulesEndToEndIT {

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldFlagABurstUnderTheOldThresholdOnceAPublishedRuleLowersIt() throws Exception {
        // given the detector running with the configuration's 30 distinct pages in 20 s
        final int port = freePort();
        final String bootstrap = "127.0.0.1:" + port;
        process = start(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as(this::log).isTrue();
            return log().contains("Ctrl-C or SIGTERM stops it.");
        });

        // when a rules file lowers it to 26 and is published
        final Path rules = Files.writeString(dir.resolve("rules.json"), """
                {
                  "machine-speed": {
                    "version": 2,
                    "note": "slower scrapers",
                    "settings": {"detector.burst.min-distinct-pages": 26, "detector.burst.scales": ""}
                  }
                }
                """);
        final CommandRun published = CommandRun.of("rules", "publish", rules.toString(), "--bootstrap-servers", bootstrap);
        assertThat(published.exitCode()).as(published.toString()).isZero();
        assertThat(published.out()).contains("published machine-speed version 2 to curriculum.detector.rules");

        // then 'rules show' reports it in force once the detector has accepted it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            final CommandRun shown = CommandRun.of("rules", "show", "--bootstrap-servers", bootstrap);
            assertThat(shown.exitCode()).as(shown.toString()).isZero();
            assertThat(shown.out()).contains("machine-speed  version 2  note: slower scrapers")
                    .containsPattern("detector.burst.min-distinct-pages +26  \\(version 2\\)")
                    .containsPattern("detector.burst.window +20s\\n");
        });

        // and a burst of 26 distinct pages, under the configuration's threshold, is flagged by version 2
        final List<JsonNode> alerts = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
             KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            consumer.subscribe(List.of("curriculum.alerts.suspicious-ip"));
            final int[] attempt = {0};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                // one burst per try, each from its own address a minute later: the global rules store may trail 'rules show' by a poll
                if (attempt[0] < 20 && alerts.isEmpty()) {
                    burst(producer, attempt[0]++);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(record -> alerts.add(read(record.value())));
                return !alerts.isEmpty();
            });
        }
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.path("ruleId").asText()).isEqualTo("machine-speed");
            assertThat(alert.path("ruleVersion").asLong()).isEqualTo(2);
            assertThat(alert.path("simulated").asBoolean()).isFalse();
            assertThat(alert.path("threshold").path("minDistinctPages").asInt()).isEqualTo(26);
        });

        // and the API explains the flagged address from what the detector holds, under version 2
        final String ip = alerts.get(0).path("ip").asText();
        final Matcher api = Pattern.compile("Analysts' API on (http://\\S+/api/)").matcher(log());
        assertThat(api.find()).as(this::log).isTrue();
        final HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.group(1) + "explain?ip=" + ip))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            final JsonNode explanation = JsonSerde.MAPPER.readTree(response.body());
            assertThat(explanation.path("subject").asText()).isEqualTo("ip " + ip);
            assertThat(explanation.path("rule").path("ruleVersion").asLong()).isEqualTo(2);
            assertThat(explanation.path("keys").findValuesAsText("scope")).contains("ip", "client");
            final JsonNode ipKey = explanation.path("keys").get(0);
            assertThat(ipKey.path("state").path("burst").get(0).path("minDistinctPages").asInt()).isEqualTo(26);
            assertThat(ipKey.path("state").path("burst").get(0).path("distinctPages").asInt()).isEqualTo(26);
            assertThat(explanation.path("alerts").findValuesAsText("alertId")).contains(alerts.get(0).path("alertId").asText());
        });
        final HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(api.group(1) + "explain?ip=" + ip + "&user=5")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("give exactly one of ip=ADDRESS, user=N, alert=ALERT_ID");
    }

    /** 26 distinct pages in 13 s from the address {@code 10.9.0.<n>}, the n-th minute after 10:00 on 2019-03-04. */
    private static void burst(final KafkaProducer<byte[], byte[]> producer, final int n) throws Exception {
        final LocalDateTime start = LocalDateTime.parse("2019-03-04T10:00:00").plusMinutes(n);
        for (int i = 0; i < 26; i++) {
            final long id = 10_000L * (n + 1) + i;
            final LocalDateTime time = start.plusSeconds(i / 2);
            final String value = "{\"op\":\"c\",\"after\":{\"id\":" + id + ",\"date\":" + time.toLocalDate().toEpochDay() + ",\"time\":"
                    + time.toLocalTime().toNanoOfDay() / 1000 + ",\"path\":\"javascript-i/page-" + i + "\",\"user_id\":" + (500 + n)
                    + ",\"cohort_id\":29,\"ip\":\"10.9.0." + (n + 1) + "\"}}";
            producer.send(new ProducerRecord<>("curriculum.curriculum_logs.logs", ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode read(final byte[] value) {
        try {
            return JsonSerde.MAPPER.readTree(value);
        } catch (final IOException e) {
            throw new AssertionError("an alert that is not JSON: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    private Process start(final int port) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                "run", "--data-dir", dir.resolve("data").toString(), "--kafka-port", String.valueOf(port), "--metrics-port", "0", "--api-port", "0")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile())
                .start();
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("run.log"));
        } catch (final IOException e) {
            return "";
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(final String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
