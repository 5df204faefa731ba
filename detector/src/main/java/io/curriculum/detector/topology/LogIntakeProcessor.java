package io.curriculum.detector.topology;

import io.curriculum.detector.decode.InvalidRecordException;
import io.curriculum.detector.decode.LogDecoder;
import io.curriculum.detector.decode.RejectReason;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.streams.internals.MirroredStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes logs change events, stamps each access with its event time, absorbs re-deliveries, and keeps the stream time
 * that the processors downstream close their windows by robust to a skewed clock.
 *
 * <p><b>No row is judged late here.</b> A row older than the newest event is forwarded: whether it is late is for the
 * state it would change (a closed window, a closed episode of its own key), not for another key's newer row.
 *
 * <p><b>Clock skew.</b> The stream time is the newest event time forwarded. A row at most the skew tolerance ahead of it
 * (the grace, at least a minute) is forwarded at once; so no forwarded row moves the stream time by more than the grace,
 * and no on-time row falls behind the grace because of one. A row further ahead is held. It is released, in event time
 * order with the rows held around it, as soon as rows of {@value #AGREEING_ADDRESSES} distinct addresses held within the
 * tolerance of one another agree on that time (the first rows after a night, a weekend or a winter break: others soon
 * agree), or the stream time comes within the tolerance of it. A held row that the stream time has moved on by more than
 * the tolerance without reaching it is a clock that runs ahead: it is dead-lettered as {@code clock-skew}, and the rows
 * around it are processed as if it never came. One exception keeps live alerts early: a row within the tolerance of the
 * wall clock is on time whatever the stream time (live traffic after a quiet night: the first scraper at 3 a.m. is not
 * held until the morning). History replayed years later never meets it, so for a replay everything is decided by event
 * times and agreement, and the same input gives the same result. A record with the header {@value #END_OF_INPUT} (a replay
 * sends one after its last row) releases every row still held, in event time order: nothing is left for them to run
 * ahead of. At most {@value #MAX_HELD} rows are held; beyond that a row to hold is dead-lettered as {@code clock-skew}.
 *
 * <p><b>Deduplication.</b> Debezium is at-least-once. A row seen again has the same id and the same event time, so the
 * store remembers (event time, id) of the rows within the grace of the stream time, and each entry's value holds the
 * highest id seen so far; held rows are remembered with them. A copy older than the grace whose id is at or below that
 * highest id is a re-delivery (after a connector restart, or a re-snapshot), absorbed like any duplicate. MySQL can commit
 * auto-increment ids out of order under concurrent inserts, so a genuinely new row so old and so out of order is absorbed
 * too; a new row with a higher id is forwarded however old it is.
 *
 * <p>The stream time and the highest id are read back from the store on start-up, and the held rows from theirs, so they
 * survive restarts (a purge is triggered only by an insert, whose value is at least every earlier highest id, so the
 * entries kept always carry it). The stores ({@link MirroredStore}) hold their entries in no order; lookups and purges
 * use sorted copies of their keys, rebuilt whenever the processor is initialised.
 */
final class LogIntakeProcessor implements Processor<byte[], byte[], byte[], Decoded<Access>> {

    static final String STORE = "log-dedupe-store";
    static final String HELD_STORE = "log-held-store";
    static final String END_OF_INPUT = DetectorTopology.END_OF_INPUT;
    /** Distinct addresses whose held rows, within the tolerance of one another, confirm a jump of the stream time. */
    static final int AGREEING_ADDRESSES = 3;
    static final int MAX_HELD = 100_000;
    private static final long MIN_SKEW_TOLERANCE = Duration.ofMinutes(1).toMillis();

    /** A row held for clock skew: the access, the stream time when it was held, and its record (key, value, headers, origin). */
    private record Held(Access access, long heldAt, byte[] key, byte[] value, Headers headers, String topic, int partition, long offset) {
    }

    private final LogDecoder decoder;
    private final long graceMillis;
    private final long skewMillis;
    private final long futureToleranceMillis;
    private final long purgeEvery;
    private ProcessorContext<byte[], Decoded<Access>> context;
    private MirroredStore<Bytes, Long> seen;
    private MirroredStore<Bytes, byte[]> heldStore;
    private final TreeSet<Bytes> keys = new TreeSet<>();
    private final TreeMap<Bytes, Held> held = new TreeMap<>();
    private long streamTime = Long.MIN_VALUE;
    private long highestId = Long.MIN_VALUE;
    private long purgedAt = Long.MIN_VALUE;
    /** At or before the stream time of the oldest hold: no held row can have expired while the stream time is within the tolerance of it. */
    private long earliestHold = Long.MAX_VALUE;
    private Sensor duplicates;
    private Sensor ignored;
    private Sensor holds;
    private Sensor newestEvent;

    LogIntakeProcessor(final LogDecoder decoder, final Duration grace, final Duration futureTolerance) {
        this.decoder = decoder;
        this.graceMillis = grace.toMillis();
        this.skewMillis = Math.max(graceMillis, MIN_SKEW_TOLERANCE);
        this.futureToleranceMillis = futureTolerance.toMillis();
        this.purgeEvery = Math.max(1000L, graceMillis / 4);
    }

    @Override
    public void init(final ProcessorContext<byte[], Decoded<Access>> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        this.heldStore = context.getStateStore(HELD_STORE);
        keys.clear();
        held.clear();
        streamTime = Long.MIN_VALUE;
        highestId = Long.MIN_VALUE;
        purgedAt = Long.MIN_VALUE;
        for (final Map.Entry<Bytes, Long> entry : seen.entries().entrySet()) {
            keys.add(entry.getKey());
            highestId = Math.max(highestId, entry.getValue());
        }
        if (!keys.isEmpty()) {
            streamTime = timeOf(keys.last());
        }
        earliestHold = Long.MAX_VALUE;
        for (final Map.Entry<Bytes, byte[]> entry : heldStore.entries().entrySet()) {
            final Held row = decodeHeld(entry.getValue());
            held.put(entry.getKey(), row);
            earliestHold = Math.min(earliestHold, row.heldAt());
        }
        duplicates = DetectorMetrics.counter(context.metrics(), "duplicates-absorbed",
                "log rows delivered again (an id already seen: Debezium is at-least-once), absorbed instead of counted twice");
        ignored = DetectorMetrics.counter(context.metrics(), "log-changes-ignored",
                "updates, deletes and tombstones of log rows, ignored: they are not page views");
        holds = DetectorMetrics.counter(context.metrics(), "rows-held-for-clock-skew",
                "log rows held because they were dated far ahead of the stream time (a skewed clock), until others agreed or the input ended");
        newestEvent = DetectorMetrics.newestEventTime(context.metrics(), context.taskId().toString());
        if (streamTime != Long.MIN_VALUE) {
            newestEvent.record(streamTime);
        }
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        if (record.headers().lastHeader(END_OF_INPUT) != null) {
            releaseUpTo(Long.MAX_VALUE);
            return;
        }
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
        final Bytes key = key(time, access.id());
        if (keys.contains(key) || held.containsKey(key)
                || streamTime != Long.MIN_VALUE && time < streamTime - graceMillis && access.id() <= highestId) {
            duplicates.record();
            return;
        }
        if (streamTime == Long.MIN_VALUE || time <= streamTime + skewMillis || Math.abs(time - now) <= skewMillis) {
            accept(key, access, record.withValue(Decoded.accepted(access)).withTimestamp(time));
            releaseUpTo(streamTime);
            return;
        }
        if (held.size() >= MAX_HELD) {
            reject(record, RejectReason.CLOCK_SKEW, "event time " + access.time() + " is " + Duration.ofMillis(time - streamTime)
                    + " ahead of the stream time " + Instant.ofEpochMilli(streamTime) + " and " + MAX_HELD + " rows are held already");
            return;
        }
        hold(key, access, record);
        if (agreed(time)) {
            releaseUpTo(time);
        }
    }

    private void hold(final Bytes key, final Access access, final Record<byte[], byte[]> record) {
        final RecordMetadata source = context.recordMetadata().orElse(null);
        final Held row = new Held(access, streamTime, record.key(), record.value(), new RecordHeaders(record.headers().toArray()),
                source == null ? "" : source.topic(), source == null ? -1 : source.partition(), source == null ? -1L : source.offset());
        held.put(key, row);
        heldStore.put(key, encodeHeld(row));
        earliestHold = Math.min(earliestHold, streamTime);
        holds.record();
    }

    /** True when held rows of enough distinct addresses lie within the tolerance of {@code time}. */
    private boolean agreed(final long time) {
        final Set<String> addresses = new HashSet<>();
        for (final Held row : held.subMap(timeKey(time - skewMillis), true, timeKey(time + skewMillis + 1), false).values()) {
            addresses.add(row.access().ip());
            if (addresses.size() >= AGREEING_ADDRESSES) {
                return true;
            }
        }
        return false;
    }

    /**
     * Releases, oldest first, every held row within the tolerance of {@code agreed} or of the stream time (which the
     * releases move on), then dead-letters the held rows that the stream time has moved on from without reaching them.
     */
    private void releaseUpTo(final long agreed) {
        while (!held.isEmpty()) {
            final Bytes first = held.firstKey();
            final long reach = Math.max(agreed, streamTime);
            if (reach != Long.MAX_VALUE && timeOf(first) > reach + skewMillis) {
                break;
            }
            final Held row = held.remove(first);
            heldStore.delete(first);
            accept(first, row.access(), new Record<>(row.key(), Decoded.accepted(row.access()), row.access().time().toEpochMilli(), row.headers()));
        }
        expireHeld();
    }

    private void expireHeld() {
        if (held.isEmpty() || streamTime - earliestHold <= skewMillis) {
            return;
        }
        final List<Bytes> skewed = new ArrayList<>();
        earliestHold = Long.MAX_VALUE;
        for (final Map.Entry<Bytes, Held> entry : held.entrySet()) {
            if (streamTime - entry.getValue().heldAt() > skewMillis) {
                skewed.add(entry.getKey());
            } else {
                earliestHold = Math.min(earliestHold, entry.getValue().heldAt());
            }
        }
        for (final Bytes key : skewed) {
            final Held row = held.remove(key);
            heldStore.delete(key);
            final String detail = "event time " + row.access().time() + " is " + Duration.ofMillis(timeOf(key) - streamTime)
                    + " ahead of the stream time " + Instant.ofEpochMilli(streamTime) + ", which moved on by more than " + Duration.ofMillis(skewMillis)
                    + " since the row came without reaching it, and no other addresses agreed on its time";
            context.forward(new Record<>(row.key(), Decoded.<Access>rejected(new Rejected(RejectReason.CLOCK_SKEW, detail, row.topic(),
                    row.partition(), row.offset(), row.value())), context.currentStreamTimeMs(), row.headers()));
        }
    }

    private void accept(final Bytes key, final Access access, final Record<byte[], Decoded<Access>> forward) {
        final long time = access.time().toEpochMilli();
        keys.add(key);
        highestId = Math.max(highestId, access.id());
        seen.put(key, highestId);
        if (time > streamTime) {
            streamTime = time;
            newestEvent.record(streamTime);
            purge();
        }
        context.forward(forward);
    }

    private void reject(final Record<byte[], byte[]> record, final RejectReason reason, final String detail) {
        context.forward(record.withValue(Decoded.rejected(Rejections.of(context, reason, detail, record.value()))));
    }

    /** Forgets rows older than the grace, keeping the newest entry (it carries the stream time and the highest id). */
    private void purge() {
        final long horizon = streamTime - graceMillis;
        if (purgedAt != Long.MIN_VALUE && horizon - purgedAt < purgeEvery) {
            return;
        }
        purgedAt = horizon;
        final Bytes oldestKept = timeKey(horizon);
        while (!keys.isEmpty() && keys.first().compareTo(oldestKept) < 0) {
            seen.delete(keys.pollFirst());
        }
    }

    /** Event time (sign bit flipped, so byte order is time order) then row id. */
    private static Bytes key(final long time, final long id) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(time ^ Long.MIN_VALUE).putLong(id).array());
    }

    /** The event time alone: sorts before every key of that time (a prefix sorts first). */
    private static Bytes timeKey(final long time) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(time ^ Long.MIN_VALUE).array());
    }

    private static long timeOf(final Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    private static byte[] encodeHeld(final Held row) {
        final byte[] topic = row.topic().getBytes(StandardCharsets.UTF_8);
        final byte[] key = row.key() == null ? new byte[0] : row.key();
        final Header[] headers = row.headers().toArray();
        int headerBytes = 4;
        for (final Header header : headers) {
            headerBytes += 8 + header.key().getBytes(StandardCharsets.UTF_8).length + (header.value() == null ? 0 : header.value().length);
        }
        final ByteBuffer buffer = ByteBuffer.allocate(8 + 4 + 8 + 4 + topic.length + 4 + key.length + headerBytes + row.value().length);
        buffer.putLong(row.heldAt()).putInt(row.partition()).putLong(row.offset());
        buffer.putInt(topic.length).put(topic);
        buffer.putInt(row.key() == null ? -1 : key.length).put(key);
        buffer.putInt(headers.length);
        for (final Header header : headers) {
            final byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
            buffer.putInt(name.length).put(name);
            buffer.putInt(header.value() == null ? -1 : header.value().length);
            if (header.value() != null) {
                buffer.put(header.value());
            }
        }
        buffer.put(row.value());
        return buffer.array();
    }

    private Held decodeHeld(final byte[] bytes) {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final long heldAt = buffer.getLong();
        final int partition = buffer.getInt();
        final long offset = buffer.getLong();
        final byte[] topic = new byte[buffer.getInt()];
        buffer.get(topic);
        final int keyLength = buffer.getInt();
        final byte[] key = keyLength < 0 ? null : new byte[keyLength];
        if (key != null) {
            buffer.get(key);
        }
        final RecordHeaders headers = new RecordHeaders();
        final int count = buffer.getInt();
        for (int i = 0; i < count; i++) {
            final byte[] name = new byte[buffer.getInt()];
            buffer.get(name);
            final int length = buffer.getInt();
            final byte[] headerValue = length < 0 ? null : new byte[length];
            if (headerValue != null) {
                buffer.get(headerValue);
            }
            headers.add(new String(name, StandardCharsets.UTF_8), headerValue);
        }
        final byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        return new Held(decoder.decode(value), heldAt, key, value, headers, new String(topic, StandardCharsets.UTF_8), partition, offset);
    }
}
