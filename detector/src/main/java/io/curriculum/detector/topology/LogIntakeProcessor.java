package io.curriculum.detector.topology;

import io.curriculum.detector.decode.InvalidRecordException;
import io.curriculum.detector.decode.LogDecoder;
import io.curriculum.detector.decode.RejectReason;
import io.curriculum.detector.model.Access;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Decodes logs change events, stamps each access with its event time, and sorts out what must not count.
 * <ul>
 *   <li>A row dated further ahead of the wall clock than the tolerance is dead-lettered: one bad clock
 *   would otherwise push the watermark ahead and make every later row late.</li>
 *   <li>Debezium is at-least-once. A row seen again has the same id and the same event time, so the store
 *   remembers (event time, id) of the rows within the grace, and each entry's value holds the highest id
 *   seen so far. A copy older than the grace whose id is at or below that highest id is a re-delivery
 *   (after a connector restart, or a re-snapshot), absorbed like any duplicate.</li>
 *   <li>A new row (a higher id) older than the grace is dead-lettered as late.</li>
 * </ul>
 * The watermark (newest event time) and the highest id are read back from the store on start-up, so they
 * survive restarts (a purge is triggered only by an insert, whose value is at least every earlier highest id,
 * so the entries kept always carry it). A row older than the grace with a lower id than the highest seen is
 * taken for a re-delivery; MySQL can commit auto-increment ids out of order under concurrent inserts, so a
 * genuinely new row so late and so out of order is absorbed rather than dead-lettered. The store ({@link MirroredStore})
 * holds the entries in no order; lookups and purges use a sorted set of its keys, rebuilt from the store whenever the
 * processor is initialised, so the purge takes the oldest keys first without a scan.
 */
final class LogIntakeProcessor implements FixedKeyProcessor<byte[], byte[], Decoded<Access>> {

    static final String STORE = "log-dedupe-store";

    private final LogDecoder decoder;
    private final long graceMillis;
    private final long futureToleranceMillis;
    private final long purgeEvery;
    private FixedKeyProcessorContext<byte[], Decoded<Access>> context;
    private MirroredStore<Bytes, Long> seen;
    private final TreeSet<Bytes> keys = new TreeSet<>();
    private long watermark = Long.MIN_VALUE;
    private long highestId = Long.MIN_VALUE;
    private long purgedAt = Long.MIN_VALUE;
    private Sensor duplicates;
    private Sensor ignored;
    private Sensor newestEvent;

    LogIntakeProcessor(final LogDecoder decoder, final Duration grace, final Duration futureTolerance) {
        this.decoder = decoder;
        this.graceMillis = grace.toMillis();
        this.futureToleranceMillis = futureTolerance.toMillis();
        this.purgeEvery = Math.max(1000L, graceMillis / 4);
    }

    @Override
    public void init(final FixedKeyProcessorContext<byte[], Decoded<Access>> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        keys.clear();
        watermark = Long.MIN_VALUE;
        highestId = Long.MIN_VALUE;
        purgedAt = Long.MIN_VALUE;
        for (final Map.Entry<Bytes, Long> entry : seen.entries().entrySet()) {
            keys.add(entry.getKey());
            highestId = Math.max(highestId, entry.getValue());
        }
        if (!keys.isEmpty()) {
            watermark = ByteBuffer.wrap(keys.last().get()).getLong() ^ Long.MIN_VALUE;
        }
        duplicates = DetectorMetrics.counter(context.metrics(), "duplicates-absorbed",
                "log rows delivered again (an id already seen: Debezium is at-least-once), absorbed instead of counted twice");
        ignored = DetectorMetrics.counter(context.metrics(), "log-changes-ignored",
                "updates, deletes and tombstones of log rows, ignored: they are not page views");
        newestEvent = DetectorMetrics.newestEventTime(context.metrics(), context.taskId().toString());
        if (watermark != Long.MIN_VALUE) {
            newestEvent.record(watermark);
        }
    }

    @Override
    public void process(final FixedKeyRecord<byte[], byte[]> record) {
        final Access access;
        try {
            access = decoder.decode(record.value());
        } catch (final InvalidRecordException e) {
            reject(record, e.reason(), e.getMessage());
            return;
        }
        if (access == null) {
            ignored.record();
            return;
        }
        final long time = access.time().toEpochMilli();
        final long now = context.currentSystemTimeMs();
        if (time > now + futureToleranceMillis) {
            reject(record, RejectReason.INVALID_DATE, "event time " + access.time() + " is more than " + Duration.ofMillis(futureToleranceMillis)
                    + " ahead of the wall clock " + Instant.ofEpochMilli(now));
            return;
        }
        if (watermark != Long.MIN_VALUE && time < watermark - graceMillis) {
            if (access.id() <= highestId) {
                duplicates.record();
                return;
            }
            reject(record, RejectReason.LATE, "event time " + access.time() + " is " + Duration.ofMillis(watermark - time)
                    + " behind the newest event " + Instant.ofEpochMilli(watermark) + ", beyond the grace of " + Duration.ofMillis(graceMillis));
            return;
        }
        final Bytes key = key(time, access.id());
        if (!keys.add(key)) {
            duplicates.record();
            return;
        }
        highestId = Math.max(highestId, access.id());
        seen.put(key, highestId);
        if (time > watermark) {
            watermark = time;
            newestEvent.record(watermark);
            purge();
        }
        context.forward(record.withValue(Decoded.accepted(access)).withTimestamp(time));
    }

    private void reject(final FixedKeyRecord<byte[], byte[]> record, final RejectReason reason, final String detail) {
        context.forward(record.withValue(Decoded.rejected(Rejections.of(context, reason, detail, record.value()))));
    }

    /** Forgets rows older than the grace, keeping the newest entry (it carries the watermark and the highest id). */
    private void purge() {
        final long horizon = watermark - graceMillis;
        if (purgedAt != Long.MIN_VALUE && horizon - purgedAt < purgeEvery) {
            return;
        }
        purgedAt = horizon;
        final Bytes oldestKept = key(horizon, 0L); // the smallest key at the horizon: id bytes compare unsigned
        while (!keys.isEmpty() && keys.first().compareTo(oldestKept) < 0) {
            seen.delete(keys.pollFirst());
        }
    }

    /** Event time (sign bit flipped, so byte order is time order) then row id. */
    private static Bytes key(final long time, final long id) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(time ^ Long.MIN_VALUE).putLong(id).array());
    }
}
