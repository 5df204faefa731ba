package io.curriculum.detector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.config.TimePrecisionMode;
import io.curriculum.detector.detect.IpAddresses;
import io.curriculum.detector.model.Access;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Decodes a change event of {@code curriculum_logs.logs} into an {@link Access}.
 * A row that is created ({@code c}), read by a snapshot ({@code r}) or upserted (flattened without
 * {@code __op}) is an access. An update, a delete and a tombstone are not new page views: they decode to
 * {@code null} and the caller counts them as ignored. Anything unusable throws {@link InvalidRecordException}.
 */
public final class LogDecoder {

    /** Dates outside these years are not page views of this site (and far ones overflow epoch milliseconds). */
    static final int MIN_YEAR = 1970;
    static final int MAX_YEAR = 9999;

    private final DebeziumJson json;
    private final ZoneId zone;
    private final int maxPathLength;
    /** A schemaless TIME column's unit, as {@link DebeziumJson#time} reads it. */
    private final long nanosPerTimeUnit;

    public LogDecoder(final TimePrecisionMode mode, final ZoneId zone, final int maxPathLength) {
        this.json = new DebeziumJson(mode);
        this.zone = zone;
        this.maxPathLength = maxPathLength;
        this.nanosPerTimeUnit = mode == TimePrecisionMode.CONNECT ? 1_000_000L : 1000L;
    }

    /** The access in {@code value}, or null for an update, delete or tombstone. */
    public Access decode(final byte[] value) {
        if (value == null) {
            return null;
        }
        final PlainLogEvent plain = PlainLogEvent.read(value, nanosPerTimeUnit);
        if (plain != null) {
            return access(plain.id, LocalDate.ofEpochDay(plain.epochDay), LocalTime.ofNanoOfDay(plain.nanoOfDay), plain.path, plain.ip,
                    plain.userId, plain.cohortId);
        }
        return decodeInGeneral(value);
    }

    /** Any form of event, through a tree of the whole JSON: what {@link #decode} does when the event is not plain. */
    Access decodeInGeneral(final byte[] value) {
        final ChangeEvent event = json.unwrap(value);
        if (event == null || event.op() == ChangeEvent.Op.UPDATE || event.op() == ChangeEvent.Op.DELETE) {
            return null;
        }
        final long id = DebeziumJson.integral(DebeziumJson.required(event, "id"), "id");
        final LocalDate date = json.date(event, "date");
        final LocalTime time = json.time(event, "time");
        final String path = DebeziumJson.text(DebeziumJson.required(event, "path"), "path");
        final String rawIp = DebeziumJson.text(DebeziumJson.required(event, "ip"), "ip");
        final Long userId = DebeziumJson.optionalIntegral(event, "user_id");
        final JsonNode cohortNode = event.row().get("cohort_id");
        final Integer cohortId = cohortNode == null || cohortNode.isNull() ? null : DebeziumJson.integer(cohortNode, "cohort_id");
        return access(id, date, time, path, rawIp, userId, cohortId);
    }

    /** The checks every access passes, however it was read. */
    private Access access(final long id, final LocalDate date, final LocalTime time, final String path, final String untrimmedIp,
                          final Long userId, final Integer cohortId) {
        if (path.length() > maxPathLength) {
            throw new InvalidRecordException(RejectReason.PATH_TOO_LONG,
                    "path of " + path.length() + " characters exceeds " + maxPathLength);
        }
        final String rawIp = untrimmedIp.trim();
        final String ip = IpAddresses.canonical(rawIp);
        if (ip == null) {
            throw new InvalidRecordException(RejectReason.INVALID_IP, "field 'ip' is not an IPv4 or IPv6 address: '"
                    + (rawIp.length() > 60 ? rawIp.substring(0, 57) + "..." : rawIp) + "'");
        }
        if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
            throw new InvalidRecordException(RejectReason.INVALID_DATE, "field 'date' is out of range: " + date);
        }
        final LocalDateTime local = LocalDateTime.of(date, time);
        return new Access(id, local, local.atZone(zone).toInstant(), path, userId, cohortId, ip);
    }
}
