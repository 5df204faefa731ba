package io.curriculum.detector.topology;

import io.curriculum.detector.decode.InvalidRecordException;
import io.curriculum.detector.decode.LogDecoder;
import io.curriculum.detector.decode.RejectReason;
import io.curriculum.detector.model.Access;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decodes logs change events, stamps each access with its event time, rejects late rows, and absorbs
 * re-delivered rows. Debezium is at-least-once: a row seen again has the same id and the same event time,
 * so the store remembers (event time, id) of the rows within the grace; a copy older than that is late and
 * is dead-lettered rather than counted. The watermark (newest event time) is the store's largest key, so
 * it survives restarts.
 */
final class LogIntakeProcessor implements FixedKeyProcessor<byte[], byte[], Decoded<Access>> {

    static final String STORE = "log-dedupe-store";
    private static final byte[] PRESENT = new byte[0];

    private final LogDecoder decoder;
    private final long graceMillis;
    private final long purgeEvery;
    private FixedKeyProcessorContext<byte[], Decoded<Access>> context;
    private KeyValueStore<Bytes, byte[]> seen;
    private long watermark = Long.MIN_VALUE;
    private long purgedAt = Long.MIN_VALUE;
    private Sensor duplicates;
    private Sensor ignored;

    LogIntakeProcessor(final LogDecoder decoder, final Duration grace) {
        this.decoder = decoder;
        this.graceMillis = grace.toMillis();
        this.purgeEvery = Math.max(1000L, graceMillis / 4);
    }

    @Override
    public void init(final FixedKeyProcessorContext<byte[], Decoded<Access>> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        try (KeyValueIterator<Bytes, byte[]> newest = seen.reverseAll()) {
            if (newest.hasNext()) {
                watermark = ByteBuffer.wrap(newest.next().key.get()).getLong() ^ Long.MIN_VALUE;
            }
        }
        duplicates = DetectorMetrics.sensor(context.metrics(), "duplicates-absorbed");
        ignored = DetectorMetrics.sensor(context.metrics(), "log-changes-ignored");
    }

    @Override
    public void process(final FixedKeyRecord<byte[], byte[]> record) {
        final Access access;
        try {
            access = decoder.decode(record.value());
        } catch (final InvalidRecordException e) {
            context.forward(record.withValue(Decoded.rejected(Rejections.of(context, e.reason(), e.getMessage(), record.value()))));
            return;
        }
        if (access == null) {
            ignored.record();
            return;
        }
        final long time = access.time().toEpochMilli();
        if (watermark != Long.MIN_VALUE && time < watermark - graceMillis) {
            final String detail = "event time " + access.time() + " is " + Duration.ofMillis(watermark - time)
                    + " behind the newest event " + Instant.ofEpochMilli(watermark) + ", beyond the grace of " + Duration.ofMillis(graceMillis);
            context.forward(record.withValue(Decoded.rejected(Rejections.of(context, RejectReason.LATE, detail, record.value()))));
            return;
        }
        final Bytes key = key(time, access.id());
        if (seen.get(key) != null) {
            duplicates.record();
            return;
        }
        seen.put(key, PRESENT);
        if (time > watermark) {
            watermark = time;
            purge();
        }
        context.forward(record.withValue(Decoded.accepted(access)).withTimestamp(time));
    }

    /** Forgets rows older than the grace: a copy of them would now be late anyway. */
    private void purge() {
        final long horizon = watermark - graceMillis;
        if (purgedAt != Long.MIN_VALUE && horizon - purgedAt < purgeEvery) {
            return;
        }
        purgedAt = horizon;
        final List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> old = seen.range(null, key(horizon - 1, Long.MAX_VALUE))) {
            while (old.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = old.next();
                expired.add(entry.key);
            }
        }
        expired.forEach(seen::delete);
    }

    /** Event time (sign bit flipped, so byte order is time order) then row id. */
    private static Bytes key(final long time, final long id) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(time ^ Long.MIN_VALUE).putLong(id).array());
    }
}
