package io.curriculum.detector.e2e;

import static io.curriculum.detector.testing.ChangeEvents.bytes;
import static io.curriculum.detector.testing.ChangeEvents.cohortRow;
import static io.curriculum.detector.testing.ChangeEvents.created;
import static io.curriculum.detector.testing.ChangeEvents.envelope;
import static io.curriculum.detector.testing.ChangeEvents.key;
import static io.curriculum.detector.testing.ChangeEvents.logRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.topology.DetectorTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real KRaft broker with real Kafka Streams, RocksDB and exactly_once_v2: CDC-shaped input on a
 * two-partition logs topic (so the by-IP repartition really runs), duplicates, a bad record, and a restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RealBrokerEndToEndTest {

    private static final String SCRAPER = "204.44.112.76";
    private static KafkaClusterTestKit cluster;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024))
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAlertOnceDeadLetterGarbageAndResumeAfterARestartWithoutReAlerting() throws Exception {
        // given the detector's topics, with a two-partition logs topic keyed by row id
        final Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("state")).toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        final DetectorConfig config = DetectorConfig.from(props, Map.of());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            final List<NewTopic> topics = new ArrayList<>();
            DetectorTopology.topicsToCreate(config).forEach((name, configs) ->
                    topics.add(new NewTopic(name, name.equals(config.topics().logs()) ? 2 : 1, (short) 1).configs(configs)));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }

        try (KafkaProducer<byte[], byte[]> producer = producer();
             KafkaConsumer<String, byte[]> alerts = consumer(config.topics().suspiciousIp());
             KafkaConsumer<String, byte[]> deadLetters = consumer(config.topics().deadLetter())) {
            KafkaStreams streams = start(config);

            // when the cohorts snapshot arrives, then a scraper burst whose every row is delivered twice, and garbage
            send(producer, config.topics().cohorts(), key(29), bytes(envelope("r", null, cohortRow(29, "Zion", "2019-01-22", "2019-06-04", 2))));
            await().atMost(Duration.ofSeconds(60)).until(() -> !poll(consumer(config.topics().cohortTable())).isEmpty());
            final LocalDateTime start = LocalDateTime.parse("2019-03-03T22:52:00");
            for (int i = 0; i < 40; i++) {
                final String time = start.plusSeconds(i / 7).format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                final byte[] row = bytes(created(logRow(1000 + i, time, "javascript-i/page-" + i, 341L, 29, SCRAPER)));
                send(producer, config.topics().logs(), key(1000 + i), row);
                send(producer, config.topics().logs(), key(1000 + i), row);
            }
            send(producer, config.topics().logs(), key(1), "{not json".getBytes(StandardCharsets.UTF_8));

            // then one open alert per scope, enriched from the cohort table, and the garbage in the dead-letter topic
            final List<ConsumerRecord<String, byte[]>> opened = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                opened.addAll(poll(alerts));
                return opened.size() >= 2;
            });
            assertThat(opened).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                    "burst|ip|204.44.112.76|2019-03-04T04:52:00Z", "burst|client|204.44.112.76|341|2019-03-04T04:52:00Z");
            final MachineSpeedAlert alert = JsonSerde.MAPPER.readValue(opened.get(0).value(), MachineSpeedAlert.class);
            assertThat(alert.cohorts()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("Zion"));
            assertThat(alert.roles()).containsExactly("student");
            final List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                letters.addAll(poll(deadLetters));
                return !letters.isEmpty();
            });
            assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(new String(letters.get(0).headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)).isEqualTo("not-json");

            // when the detector restarts on the same state directory and the same burst goes on
            close(streams);
            streams = start(config);
            for (int i = 40; i < 60; i++) {
                send(producer, config.topics().logs(), key(1000 + i), bytes(created(logRow(1000 + i, "2019-03-03T22:52:07", "javascript-i/page-" + i, 341L, 29, SCRAPER))));
            }
            // and a marker client crosses its own threshold afterwards, so we know the burst rows were processed
            for (int i = 0; i < 30; i++) {
                send(producer, config.topics().logs(), key(5000 + i), bytes(created(logRow(5000 + i, "2019-03-03T22:53:00", "python/page-" + i, 7L, 29, "8.8.8.8"))));
            }
            final List<ConsumerRecord<String, byte[]>> after = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                after.addAll(poll(alerts));
                return after.stream().filter(r -> r.key().contains("8.8.8.8")).count() >= 2;
            });

            // then the scraper's episode was remembered: no second alert for it
            assertThat(after).extracting(ConsumerRecord::key).allMatch(k -> k.contains("8.8.8.8"));

            // when Debezium re-delivers ten rows the detector processed before the restart
            for (int i = 40; i < 50; i++) {
                send(producer, config.topics().logs(), key(1000 + i), bytes(created(logRow(1000 + i, "2019-03-03T22:52:07", "javascript-i/page-" + i, 341L, 29, SCRAPER))));
            }
            // then the restarted instance recognises them from its restored state
            final KafkaStreams restarted = streams;
            await().atMost(Duration.ofSeconds(60)).until(() -> metric(restarted, "duplicates-absorbed-total") >= 10.0);
            assertThat(metric(restarted, "duplicates-absorbed-total")).isEqualTo(10.0);
            close(streams);
        }
    }

    private static double metric(final KafkaStreams streams, final String name) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("stream-curriculum-detector-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static KafkaStreams start(final DetectorConfig config) {
        final KafkaStreams streams = new KafkaStreams(DetectorTopology.build(config), config.streamsConfig());
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** Leaves the group on close, so the restarted instance need not wait out the old member's session timeout. */
    private static void close(final KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer, final String topic, final byte[] key, final byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static KafkaConsumer<String, byte[]> consumer(final String topic) {
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static List<ConsumerRecord<String, byte[]>> poll(final KafkaConsumer<String, byte[]> consumer) {
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }
}
