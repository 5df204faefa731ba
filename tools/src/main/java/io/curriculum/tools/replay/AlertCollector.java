package io.curriculum.tools.replay;

import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.topology.Topic;
import io.curriculum.detector.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a replay's output topics as they fill (read_committed, from the beginning), on a thread of its own:
 * the latest record of every alert (an alert is written open, then updated under the same key when its
 * episode or window closes), and the dead-letter records counted by reason. Each alert record is also handed
 * to a listener as it arrives, for whoever prints alerts as they fire. Alerts are read into their records with the serdes
 * of the topic registry, the ones the topology writes them with.
 */
final class AlertCollector implements Runnable, AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Deserializer<? extends AlertRecord>> alertTopics = new HashMap<>();
    private final String deadLetter;
    private final Consumer<Alert> listener;
    private final Map<String, Alert> latest = new LinkedHashMap<>();
    private final Map<String, Long> deadLetters = new TreeMap<>();
    private final List<DeadLetter> deadLetterRecords = new ArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /** One dead letter: the history line of its row ({@link KafkaRowSink#LINE_HEADER}; -1 when unknown), reason code and detail. */
    record DeadLetter(long line, String reason, String detail) {
    }

    /** One alert record: the topic it came from, its key (the alert id) and its value. */
    record Alert(String topic, String alertId, AlertRecord value) {
        String rule() {
            return value.rule();
        }
    }

    AlertCollector(final Properties clientProperties, final Topics topics, final Consumer<Alert> listener) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        for (final Topic<String, ? extends AlertRecord> topic : List.of(topics.suspiciousIp(), topics.lessonBand(), topics.inactiveStudent())) {
            alertTopics.put(topic.name(), topic.valueSerde().deserializer());
        }
        this.deadLetter = topics.deadLetter().name();
        this.listener = listener;
        try {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : List.of(topics.suspiciousIp().name(), topics.lessonBand().name(), topics.inactiveStudent().name(), deadLetter)) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(tp -> positions.put(tp, 0L));
        } catch (final RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    accept(record);
                }
                for (final TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
            }
        } catch (final WakeupException e) {
            // closing
        } catch (final RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(final ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(deadLetter)) {
            final Header reason = record.headers().lastHeader("dlq.reason");
            final Header detail = record.headers().lastHeader("dlq.detail");
            final Header line = record.headers().lastHeader(KafkaRowSink.LINE_HEADER);
            final String key = reason == null ? "unknown" : new String(reason.value(), StandardCharsets.UTF_8);
            final DeadLetter letter = new DeadLetter(line == null ? -1 : Long.parseLong(new String(line.value(), StandardCharsets.UTF_8)), key,
                    detail == null ? "" : new String(detail.value(), StandardCharsets.UTF_8));
            synchronized (this) {
                deadLetters.merge(key, 1L, Long::sum);
                deadLetterRecords.add(letter);
            }
            return;
        }
        if (record.value() == null) {
            return;
        }
        final AlertRecord value = alertTopics.get(record.topic()).deserialize(record.topic(), record.value());
        final Alert alert = new Alert(record.topic(), record.key(), value);
        synchronized (this) {
            latest.put(record.key(), alert);
        }
        listener.accept(alert);
    }

    /** True when this collector has read every topic up to {@code ends} (offsets as a read_committed consumer sees them). */
    boolean hasReached(final Map<TopicPartition, Long> ends) {
        checkHealthy();
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    void checkHealthy() {
        if (failure != null) {
            throw failure;
        }
    }

    List<TopicPartition> partitions() {
        return new ArrayList<>(positions.keySet());
    }

    synchronized List<Alert> alerts() {
        return new ArrayList<>(latest.values());
    }

    synchronized int alertCount() {
        return latest.size();
    }

    synchronized Map<String, Long> deadLetters() {
        return new HashMap<>(deadLetters);
    }

    /** Every dead letter read so far, in the order written. */
    synchronized List<DeadLetter> deadLetterRecords() {
        return new ArrayList<>(deadLetterRecords);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
