package io.curriculum.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running detector (embedded broker, real Kafka Streams, exactly_once_v2) fed 12,000 generated bad records
 * ({@link BadRecords}) on both input topics: it keeps running, and every input record is accounted for exactly once —
 * as an access processed, a change ignored (update, delete, tombstone), a duplicate absorbed, a cohort change
 * published, or a dead letter — by counting the output topics and by the detector's own metrics.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FuzzedTopicsIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private DetectorRuntime detector;

    @AfterEach
    void stop() {
        if (detector != null) {
            detector.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAccountForEveryBadRecordOnceAndKeepRunning() throws Exception {
        // given the detector running on an embedded broker
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        final DetectorConfig config = config();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
        }
        detector = DetectorRuntime.start(config);
        detector.awaitRunning(WAIT);
        final List<BadRecords.Input> logs = new ArrayList<>();
        final List<BadRecords.Input> cohorts = new ArrayList<>();
        for (final long seed : new long[] {11, 12, 13}) {
            final BadRecords generator = new BadRecords(seed);
            logs.addAll(generator.logs(3_000));
            cohorts.addAll(generator.cohorts(1_000));
        }

        try (KafkaProbe probe = new KafkaProbe(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // when every record is written to the live input topics
            try (KafkaProducer<byte[], byte[]> producer = probe.producer()) {
                final List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < Math.max(logs.size(), cohorts.size()); i++) {
                    if (i < logs.size()) {
                        sent.add(producer.send(new ProducerRecord<>(config.topics().logs(), logs.get(i).key(), logs.get(i).value())));
                    }
                    if (i < cohorts.size()) {
                        sent.add(producer.send(new ProducerRecord<>(config.topics().cohorts(), cohorts.get(i).key(), cohorts.get(i).value())));
                    }
                }
                for (final Future<RecordMetadata> send : sent) {
                    send.get(60, TimeUnit.SECONDS);
                }
            }
            probe.awaitConsumed(config.applicationId(), Set.of(config.topics().logs(), config.topics().cohorts()), WAIT);

            // then the detector is still running ...
            assertThat(detector.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(detector.failure()).isNull();

            // ... and each record is counted once: in the output topics
            final List<ConsumerRecord<byte[], byte[]>> deadLetters = probe.readAll(config.topics().deadLetter(), WAIT);
            final long deadLogs = deadLetters.stream().filter(r -> config.topics().logs().equals(header(r, "dlq.topic"))).count();
            final long deadCohorts = deadLetters.stream().filter(r -> config.topics().cohorts().equals(header(r, "dlq.topic"))).count();
            assertThat(deadLogs + deadCohorts).isEqualTo(deadLetters.size());
            final long published = probe.readAll(config.topics().cohortTable(), WAIT).size();
            assertThat(published + deadCohorts).as("cohort changes published + dead-lettered").isEqualTo(cohorts.size());

            // ... and in the metrics
            final double processed = detector.detectorMetric("accesses-processed-total");
            final double ignored = detector.detectorMetric("log-changes-ignored-total");
            final double duplicates = detector.detectorMetric("duplicates-absorbed-total");
            assertThat(processed + ignored + duplicates + deadLogs).as("log records processed + ignored + absorbed + dead-lettered")
                    .isEqualTo(logs.size());
            assertThat(detector.detectorMetric("dead-lettered-total")).isEqualTo(deadLetters.size());

            // and most of them were bad: the valid ones are a small share
            assertThat(deadLetters.size()).isGreaterThan((logs.size() + cohorts.size()) / 2);
            assertThat(processed).isPositive();
            System.out.printf("fuzzed %d log and %d cohort records: %.0f accesses processed, %.0f ignored, %.0f duplicates, "
                    + "%d log and %d cohort dead letters, %d cohort changes published%n", logs.size(), cohorts.size(), processed, ignored,
                    duplicates, deadLogs, deadCohorts, published);
        }
    }

    private DetectorConfig config() {
        final Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("state.dir", dir.resolve("streams").toString());
        return DetectorConfig.from(props, Map.of());
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
