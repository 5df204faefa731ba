package io.curriculum.tools.replay;

import io.curriculum.detector.config.TopicNames;
import io.curriculum.detector.topology.DetectorTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What an earlier run of the same replay id left on the replay's source topics, read from the topics themselves: how
 * many cohorts and rows are on them, whether the end-of-input record follows the rows, and the last row, by which the
 * replay checks that the rows on the topic are the first rows of this history in replay order.
 *
 * <p>The topics are the truth, not a note written beside them: the replay produces each topic from one idempotent
 * producer into one partition, without transactions, so the records on a topic are exactly a prefix of what it sends,
 * in order and each once; a record the broker took but never acknowledged before a {@code kill -9} is on the topic and
 * counts as produced, one it never took is not.
 */
record ResumePoint(long cohortsProduced, long rowsProduced, boolean inputEnded, ConsumerRecord<byte[], byte[]> lastRow) {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** Nothing produced yet. */
    static final ResumePoint NONE = new ResumePoint(0, 0, false, null);

    /** True when an earlier run produced anything. */
    boolean any() {
        return cohortsProduced > 0 || rowsProduced > 0 || inputEnded;
    }

    /** Reads what is on the replay's cohorts and logs topics (partition 0 of each, the only one a replay creates). */
    static ResumePoint read(final Properties clientProperties, final TopicNames topics) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final TopicPartition cohorts = new TopicPartition(topics.cohorts(), 0);
            final TopicPartition logs = new TopicPartition(topics.logs(), 0);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(cohorts, logs), READ_TIMEOUT);
            final Map<TopicPartition, Long> starts = consumer.beginningOffsets(List.of(logs), READ_TIMEOUT);
            // offsets count records produced, even on the compacted cohorts topic: compaction removes records, not offsets
            final long cohortRecords = ends.get(cohorts);
            final long logRecords = ends.get(logs);
            if (starts.get(logs) > 0) {
                throw new IllegalStateException("the replay's topic " + topics.logs() + " no longer starts at its first row (its first offset is "
                        + starts.get(logs) + "): it cannot be resumed; replay under another --replay-id");
            }
            if (logRecords == 0) {
                return new ResumePoint(cohortRecords, 0, false, null);
            }
            final List<ConsumerRecord<byte[], byte[]>> tail = tail(consumer, logs, logRecords, 2);
            final ConsumerRecord<byte[], byte[]> last = tail.get(tail.size() - 1);
            if (last.headers().lastHeader(DetectorTopology.END_OF_INPUT) != null) {
                return new ResumePoint(cohortRecords, logRecords - 1, true, tail.size() > 1 ? tail.get(0) : null);
            }
            return new ResumePoint(cohortRecords, logRecords, false, last);
        }
    }

    /** The last {@code count} records of {@code partition}, whose end offset is {@code end}, oldest first. */
    private static List<ConsumerRecord<byte[], byte[]>> tail(final KafkaConsumer<byte[], byte[]> consumer, final TopicPartition partition,
                                                             final long end, final int count) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, Math.max(0, end - count));
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(partition, READ_TIMEOUT) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read the last records of " + partition + " within " + READ_TIMEOUT);
            }
            consumer.poll(Duration.ofMillis(200)).records(partition).forEach(records::add);
        }
        if (records.isEmpty()) {
            throw new IllegalStateException("cannot read the last records of " + partition);
        }
        return records;
    }
}
