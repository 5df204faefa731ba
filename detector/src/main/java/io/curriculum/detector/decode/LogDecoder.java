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

    public LogDecoder(final TimePrecisionMode mode, final ZoneId zone, final int maxPathLength) {
        this.json = new DebeziumJson(mode);
        this.zone = zone;
        this.maxPathLength = maxPathLength;
    }

    /** The access in {@code value}, or null for an update, delete or tombstone. */
    public Access decode(final byte[] value) {
        if (value == null) {
            return null;
        }
        final ChangeEvent event = json.unwrap(value);
        if (event == null || event.op() == ChangeEvent.Op.UPDATE || event.op() == ChangeEvent.Op.DELETE) {
            return null;
        }
        final long id = DebeziumJson.integral(DebeziumJson.required(event, "id"), "id");
        final LocalDate date = json.date(event, "date");
        final LocalTime time = json.time(event, "time");
        final String path = DebeziumJson.text(DebeziumJson.required(event, "path"), "path");
        if (path.length() > maxPathLength) {
            throw new InvalidRecordException(RejectReason.PATH_TOO_LONG,
                    "path of " + path.length() + " characters exceeds " + maxPathLength);
        }
        final String rawIp = DebeziumJson.text(DebeziumJson.required(event, "ip"), "ip").trim();
        final String ip = IpAddresses.canonical(rawIp);
        if (ip == null) {
            throw new InvalidRecordException(RejectReason.INVALID_IP, "field 'ip' is not an IPv4 or IPv6 address: '"
                    + (rawIp.length() > 60 ? rawIp.substring(0, 57) + "..." : rawIp) + "'");
        }
        final Long userId = DebeziumJson.optionalIntegral(event, "user_id");
        final JsonNode cohortNode = event.row().get("cohort_id");
        final Integer cohortId = cohortNode == null || cohortNode.isNull() ? null : DebeziumJson.integer(cohortNode, "cohort_id");
        if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
            throw new InvalidRecordException(RejectReason.INVALID_DATE, "field 'date' is out of range: " + date);
        }
        final LocalDateTime local = LocalDateTime.of(date, time);
        return new Access(id, local, local.atZone(zone).toInstant(), path, userId, cohortId, ip);
    }
}
