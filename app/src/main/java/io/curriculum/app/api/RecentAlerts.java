package io.curriculum.app.api;

import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.topology.Topic;
import io.curriculum.detector.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The newest alerts of every alert topic (machine speed, lesson bands, inactive students): the tail of each partition, read
 * committed, each alert once as its latest record, newest {@code detectedAt} first. The topics are the whole truth and every
 * instance reads them all, so any instance answers in full. Each alert is read into its record with the serde the topic
 * registry gives its topic, the one the topology writes it with.
 */
final class RecentAlerts {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Properties clientProperties;
    private final Map<String, Deserializer<? extends AlertRecord>> topics = new LinkedHashMap<>();

    RecentAlerts(final Properties clientProperties, final Topics registry) {
        this.clientProperties = clientProperties;
        for (final Topic<String, ? extends AlertRecord> topic : List.of(registry.suspiciousIp(), registry.lessonBand(), registry.inactiveStudent())) {
            topics.put(topic.name(), topic.valueSerde().deserializer());
        }
    }

    List<AlertRecord> newest(final int limit) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final Map<String, AlertRecord> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : topics.keySet()) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            for (final TopicPartition tp : partitions) {
                // twice the limit: an alert is written open and updated closed under one key
                consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - 2L * limit));
            }
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.value() != null) {
                        latest.put(record.key(), topics.get(record.topic()).deserialize(record.topic(), record.value()));
                    }
                }
            }
        }
        return latest.values().stream()
                .sorted(Comparator.comparing(AlertRecord::detectedAt).reversed().thenComparing(AlertRecord::alertId))
                .limit(limit).toList();
    }
}
