package io.curriculum.app.faults;

import static io.curriculum.app.faults.SecuredClients.pollUntilRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.curriculum.app.runtime.BrokerSecurity;
import io.curriculum.app.runtime.DetectorAcls;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with SASL/SCRAM and the StandardAuthorizer, its users read from a file written at test time with
 * random passwords, and the ACLs of {@link DetectorAcls}: the detector, authenticated as its own principal, runs and alerts;
 * the reviewer reads the suspicious-IP alerts and nothing else, and cannot forge one; an authenticated principal without ACLs
 * is refused every topic; a wrong password does not get in at all.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecuredBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCRAPER = "204.44.112.76";

    @TempDir
    static Path dir;
    private static final Map<String, String> PASSWORDS = new HashMap<>();
    private static EmbeddedKafka kafka;
    private static DetectorRuntime detector;
    private static DetectorConfig config;

    @BeforeAll
    static void start() throws Exception {
        // the users file an operator would keep out of the repository
        final Path users = dir.resolve("users.properties");
        final List<String> lines = new ArrayList<>();
        for (final String user : List.of("detector", "reviewer", "intruder")) {
            PASSWORDS.put(user, BrokerSecurity.randomPassword());
            lines.add(user + "=" + PASSWORDS.get(user));
        }
        Files.write(users, lines);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, BrokerSecurity.scramUsersFrom(users));
        config = detectorConfig();
        try (Admin admin = Admin.create(kafka.superUserClientConfig())) {
            TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
            final var acls = new ArrayList<>(DetectorAcls.detector(config, "User:detector"));
            acls.addAll(DetectorAcls.reviewer(config, "User:reviewer"));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        detector = DetectorRuntime.start(config);
        detector.awaitRunning(WAIT);
    }

    @AfterAll
    static void stop() {
        if (detector != null) {
            detector.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldLetTheDetectorAlertAndTheReviewerReadTheAlerts() throws Exception {
        // when a scraper's burst reaches the logs topic
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka.superUserClientConfig())) {
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(config.topics().logs(), bytes("{\"id\":" + (1000 + i) + "}"),
                        bytes(row(1000 + i, "2019-03-03T22:52:0" + i / 7, i)))).get(30, TimeUnit.SECONDS);
            }
        }

        // then the detector, as its own principal, alerts, and the reviewer reads the alerts
        final List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reviewer = consumer("reviewer", "reviewer-alerts")) {
            reviewer.subscribe(List.of(config.topics().suspiciousIp()));
            await().atMost(WAIT).until(() -> {
                reviewer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
                return keys.size() >= 2;
            });
        }
        assertThat(keys).containsExactlyInAnyOrder("burst|ip|" + SCRAPER + "|2019-03-04T04:52:00Z",
                "burst|client|" + SCRAPER + "|341|2019-03-04T04:52:00Z");
        assertThat(detector.failure()).isNull();
    }

    @Test
    void shouldRefuseTheReviewerEveryOtherTopicAndEveryWrite() {
        // when the reviewer reads the lesson-band alerts, then it is refused
        try (KafkaConsumer<byte[], byte[]> reviewer = consumer("reviewer", "reviewer-bands")) {
            reviewer.subscribe(List.of(config.topics().lessonBand()));
            assertThatThrownBy(() -> pollUntilRefused(reviewer, WAIT)).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(config.topics().lessonBand());
        }

        // when the reviewer writes a forged alert, then it is refused
        try (KafkaProducer<byte[], byte[]> producer = producer(client("reviewer"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(config.topics().suspiciousIp(), bytes("burst|ip|1.2.3.4|x"),
                    bytes("{\"forged\":true}"))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAPrincipalWithoutAclsAndAWrongPassword() {
        // when an authenticated principal without ACLs reads the alerts, then it is refused
        try (KafkaConsumer<byte[], byte[]> intruder = consumer("intruder", "intruder-alerts")) {
            intruder.assign(List.of(new org.apache.kafka.common.TopicPartition(config.topics().suspiciousIp(), 0)));
            intruder.seekToBeginning(intruder.assignment());
            assertThatThrownBy(() -> pollUntilRefused(intruder, WAIT)).isInstanceOf(TopicAuthorizationException.class);
        }

        // when it writes an alert, then it is refused
        try (KafkaProducer<byte[], byte[]> producer = producer(client("intruder"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(config.topics().suspiciousIp(), bytes("burst|ip|1.2.3.4|x"),
                    bytes("{\"forged\":true}"))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }

        // when a client gives the reviewer's name with a wrong password, then it is not let in
        final Map<String, Object> wrong = new HashMap<>(BrokerSecurity.clientConfig("reviewer", "not-" + PASSWORDS.get("reviewer")));
        wrong.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> impostor = SecuredClients.consumer(wrong, "reviewer-impostor")) {
            impostor.subscribe(List.of(config.topics().suspiciousIp()));
            assertThatThrownBy(() -> pollUntilRefused(impostor, WAIT)).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static DetectorConfig detectorConfig() {
        final Properties props = new Properties();
        client("detector").forEach((key, value) -> props.put(key, String.valueOf(value)));
        props.put("state.dir", dir.resolve("streams").toString());
        return DetectorConfig.from(props, Map.of());
    }

    private static Map<String, Object> client(final String user) {
        return SecuredClients.client(kafka.bootstrapServers(), user, PASSWORDS.get(user));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String user, final String group) {
        return SecuredClients.consumer(client(user), group);
    }

    private static KafkaProducer<byte[], byte[]> producer(final Map<String, Object> client) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        // a plain producer, as a forger would use: an idempotent one is refused the cluster's IDEMPOTENT_WRITE first
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
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
}
