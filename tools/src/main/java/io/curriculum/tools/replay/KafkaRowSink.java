package io.curriculum.tools.replay;

import io.curriculum.detector.config.TopicNames;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryRow;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces a replay's cohorts and rows straight to its topics as Debezium's connector would write them (the full
 * envelope, {@code op} {@code r}), rows keyed by IP with their event times as record timestamps and their line in the
 * history file as a header ({@value #LINE_HEADER}).
 */
final class KafkaRowSink implements RowSink {

    /** The header that carries a row's line in the history file (decimal text), so that a dead letter names its line. */
    static final String LINE_HEADER = "replay.line";

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final AtomicReference<Exception> failed = new AtomicReference<>();

    KafkaRowSink(final Properties clientProperties, final TopicNames topics) {
        this.topics = topics;
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void sendCohorts(final List<CohortRow> cohorts) {
        for (final CohortRow cohort : cohorts) {
            producer.send(new ProducerRecord<>(topics.cohorts(), DebeziumEvents.cohortKey(cohort.id()), DebeziumEvents.cohort(cohort)),
                    this::record);
        }
        producer.flush();
        throwIfFailed(topics.cohorts());
    }

    @Override
    public void send(final HistoryRow row, final long eventTime) {
        throwIfFailed(topics.logs());
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topics.logs(), null, eventTime, key(row), DebeziumEvents.log(row));
        record.headers().add(LINE_HEADER, line(row));
        producer.send(record, this::record);
    }

    /** True when {@code record} is what {@link #send} writes for {@code row} at {@code eventTime}: key, value, timestamp and line. */
    static boolean isRecordOf(final ConsumerRecord<byte[], byte[]> record, final HistoryRow row, final long eventTime) {
        final Header line = record.headers().lastHeader(LINE_HEADER);
        return record.timestamp() == eventTime && Arrays.equals(record.key(), key(row)) && Arrays.equals(record.value(), DebeziumEvents.log(row))
                && line != null && Arrays.equals(line.value(), line(row));
    }

    private static byte[] key(final HistoryRow row) {
        return row.ip().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] line(final HistoryRow row) {
        return String.valueOf(row.line()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed(topics.logs());
    }

    private void record(final RecordMetadata metadata, final Exception e) {
        if (e != null) {
            failed.compareAndSet(null, e);
        }
    }

    private void throwIfFailed(final String topic) {
        if (failed.get() != null) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + failed.get(), failed.get());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
