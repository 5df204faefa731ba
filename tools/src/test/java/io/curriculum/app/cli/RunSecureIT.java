package io.curriculum.app.cli;

import static io.curriculum.app.faults.SecuredClients.client;
import static io.curriculum.app.faults.SecuredClients.consumer;
import static io.curriculum.app.faults.SecuredClients.pollUntilRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.curriculum.app.faults.ChildJvm;
import io.curriculum.app.runtime.BrokerSecurity;
import io.curriculum.tools.cli.CommandRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --secure} as an operator starts it, in a JVM of its own, the principals' passwords in its environment
 * (drawn at random here, never written to the repository): the detector, authenticated as {@code User:detector}, alerts
 * on what {@code User:source} writes; {@code User:reviewer} reads the suspicious-IP alerts and is refused the lesson-band
 * ones; a client that does not authenticate gets nothing at all; and the data directory, once secured, is not started
 * unsecured. Without the passwords it refuses to start, naming the variable and the file option to set.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunSecureIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration REFUSAL = Duration.ofSeconds(8);
    private static final String READY = "Ctrl-C or SIGTERM stops it.";
    private static final String SCRAPER = "204.44.112.76";

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        ChildJvm.stop(process);
    }

    @Test
    void shouldRunAsTheDetectorsPrincipalLetTheReviewerReadOnlyItsAlertsAndRefuseAnonymousClients() throws Exception {
        // given run --secure on the embedded broker, the passwords in its environment
        final Map<String, String> passwords = Map.of("detector", BrokerSecurity.randomPassword(), "reviewer", BrokerSecurity.randomPassword(),
                "source", BrokerSecurity.randomPassword());
        final int port = freePort();
        final String bootstrap = "127.0.0.1:" + port;
        final Path log = dir.resolve("run.log");
        final Path data = dir.resolve("data");
        process = ChildJvm.start(log, List.of(), Map.of("DETECTOR_SCRAM_PASSWORD", passwords.get("detector"),
                        "REVIEWER_SCRAM_PASSWORD", passwords.get("reviewer"), "SOURCE_SCRAM_PASSWORD", passwords.get("source")),
                "run", "--secure", "--data-dir", data.toString(), "--kafka-port", String.valueOf(port), "--metrics-port", "0", "--api-port", "0");
        ChildJvm.awaitLog(process, log, READY, WAIT);
        assertThat(ChildJvm.read(log)).contains("the detector as User:detector, unauthenticated clients refused")
                .doesNotContain(passwords.get("detector"));

        // when the source principal writes a scraper's burst to the logs topic
        try (KafkaProducer<byte[], byte[]> source = producer(client(bootstrap, "source", passwords.get("source")))) {
            for (int i = 0; i < 40; i++) {
                source.send(new ProducerRecord<>("curriculum.curriculum_logs.logs", bytes("{\"id\":" + (1000 + i) + "}"),
                        bytes(row(1000 + i, "2019-03-03T22:52:0" + i / 7, i)))).get(30, TimeUnit.SECONDS);
            }
        }

        // then the detector alerts, and the reviewer reads the alerts
        final List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reviewer = consumer(client(bootstrap, "reviewer", passwords.get("reviewer")), "reviewer-alerts")) {
            reviewer.subscribe(List.of("curriculum.alerts.suspicious-ip"));
            await().atMost(WAIT).until(() -> {
                reviewer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
                return keys.size() >= 2;
            });
        }
        assertThat(keys).contains("burst|ip|" + SCRAPER + "|2019-03-04T04:52:00Z", "burst|client|" + SCRAPER + "|341|2019-03-04T04:52:00Z");

        // and the reviewer is refused the lesson-band alerts
        try (KafkaConsumer<byte[], byte[]> reviewer = consumer(client(bootstrap, "reviewer", passwords.get("reviewer")), "reviewer-bands")) {
            reviewer.subscribe(List.of("curriculum.alerts.lesson-band"));
            assertThatThrownBy(() -> pollUntilRefused(reviewer, WAIT)).isInstanceOf(TopicAuthorizationException.class);
        }

        // and a client that does not authenticate gets neither the cluster's metadata nor a write in
        final Map<String, Object> anonymous = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL.toMillis(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(REFUSAL.toSeconds() + 5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        }
        final Map<String, Object> anonymousProducer = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REFUSAL.toMillis()));
        try (KafkaProducer<byte[], byte[]> forger = producer(anonymousProducer)) {
            assertThatThrownBy(() -> forger.send(new ProducerRecord<>("curriculum.alerts.suspicious-ip", bytes("burst|ip|1.2.3.4|x"),
                    bytes("{\"forged\":true}"))).get(REFUSAL.toSeconds() + 5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        }

        // and once stopped, the secured data directory is not started unsecured
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(() -> ChildJvm.read(log)).isTrue();
        final CommandRun unsecured = CommandRun.of("run", "--data-dir", data.toString(), "--kafka-port", "0", "--metrics-port", "0", "--no-api");
        assertThat(unsecured.exitCode()).as(unsecured.err()).isEqualTo(2);
        assertThat(unsecured.err()).contains("belongs to a secured broker").contains("run --secure");
    }

    @Test
    void shouldRunOverTlsWithTheBrokersOwnCertificateAndRefuseClientsWithoutTls() throws Exception {
        // given run --secure --tls on the embedded broker
        final Map<String, String> passwords = Map.of("detector", BrokerSecurity.randomPassword(), "reviewer", BrokerSecurity.randomPassword());
        final int port = freePort();
        final String bootstrap = "127.0.0.1:" + port;
        final Path log = dir.resolve("run-tls.log");
        final Path data = dir.resolve("data-tls");
        process = ChildJvm.start(log, List.of(), Map.of("DETECTOR_SCRAM_PASSWORD", passwords.get("detector"),
                        "REVIEWER_SCRAM_PASSWORD", passwords.get("reviewer")),
                "run", "--secure", "--tls", "--data-dir", data.toString(), "--kafka-port", String.valueOf(port), "--metrics-port", "0", "--no-api");

        // then the detector runs, its clients trusting the certificate made in the data directory
        ChildJvm.awaitLog(process, log, READY, WAIT);
        final Path tls = data.resolve("kafka").resolve("tls");
        assertThat(ChildJvm.read(log)).contains("SASL/SCRAM-SHA-256 over TLS and ACLs").contains(tls.resolve("truststore.p12").toString());

        // and a client elsewhere that trusts the truststore gets in over TLS
        final Map<String, Object> overTls = new HashMap<>(client(bootstrap, "reviewer", passwords.get("reviewer")));
        overTls.put("security.protocol", "SASL_SSL");
        overTls.put("ssl.truststore.location", tls.resolve("truststore.p12").toString());
        overTls.put("ssl.truststore.password", Files.readString(tls.resolve("truststore.password")).trim());
        overTls.put("ssl.truststore.type", "PKCS12");
        try (Admin admin = Admin.create(overTls)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }

        // and one that authenticates without TLS gets nothing
        final Map<String, Object> plaintext = new HashMap<>(client(bootstrap, "reviewer", passwords.get("reviewer")));
        plaintext.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL.toMillis());
        plaintext.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(REFUSAL.toSeconds() + 5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        }

        // and --tls wants --secure, and is not offered with --cdc yet
        final CommandRun unsecured = CommandRun.of("run", "--tls", "--data-dir", dir.resolve("none").toString(), "--kafka-port", "0");
        assertThat(unsecured.exitCode()).isEqualTo(2);
        assertThat(unsecured.err()).contains("--tls encrypts the secured embedded broker's client listener: add --secure");
        final CommandRun withCdc = CommandRun.of("run", "--secure", "--tls", "--cdc", "x.json", "--data-dir", dir.resolve("none").toString());
        assertThat(withCdc.exitCode()).isEqualTo(2);
        assertThat(withCdc.err()).contains("--tls with --cdc is not supported yet");
    }

    @Test
    void shouldRefuseToStartSecuredWithoutThePasswordsOrAgainstAClusterOfItsOwn() throws IOException {
        // when run --secure finds no password, then it names the variable and the option
        final CommandRun none = CommandRun.of("run", "--secure", "--data-dir", dir.resolve("none").toString(), "--kafka-port", "0");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no password for the detector principal: set DETECTOR_SCRAM_PASSWORD, or pass --scram-users FILE");

        // when the users file lacks the reviewer, then it names the file and the variable
        final Path users = Files.writeString(dir.resolve("users.properties"), "detector=" + BrokerSecurity.randomPassword() + "\n");
        final CommandRun noReviewer = CommandRun.of("run", "--secure", "--scram-users", users.toString(), "--data-dir", dir.resolve("none").toString(),
                "--kafka-port", "0");
        assertThat(noReviewer.exitCode()).isEqualTo(2);
        assertThat(noReviewer.err()).contains("no password for the reviewer principal: set REVIEWER_SCRAM_PASSWORD or add a line to " + users);

        // when the users file is missing, then it says so
        final CommandRun missing = CommandRun.of("run", "--secure", "--scram-users", dir.resolve("nope").toString(), "--kafka-port", "0");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--scram-users " + dir.resolve("nope") + ": no such file");

        // when it is asked to secure a cluster of its own, then it points to --client-config
        Files.writeString(users, "reviewer=" + BrokerSecurity.randomPassword() + "\n", StandardOpenOption.APPEND);
        final CommandRun cluster = CommandRun.of("run", "--secure", "--scram-users", users.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(cluster.exitCode()).isEqualTo(2);
        assertThat(cluster.err()).contains("--secure secures the embedded broker").contains("--client-config FILE");
        assertThat(Files.exists(dir.resolve("none"))).as("nothing started").isFalse();
    }

    private static KafkaProducer<byte[], byte[]> producer(final Map<String, Object> client) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String row(final long id, final String localTime, final int page) {
        final LocalDateTime time = LocalDateTime.parse(localTime);
        return "{\"op\":\"c\",\"after\":{\"id\":" + id + ",\"date\":" + time.toLocalDate().toEpochDay() + ",\"time\":"
                + time.toLocalTime().toNanoOfDay() / 1000 + ",\"path\":\"javascript-i/page-" + page + "\",\"user_id\":341"
                + ",\"cohort_id\":29,\"ip\":\"" + SCRAPER + "\"}}";
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
