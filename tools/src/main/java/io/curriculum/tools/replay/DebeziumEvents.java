package io.curriculum.tools.replay;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryRow;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes history rows as the change events Debezium's MySQL connector emits for them, so a replay feeds the
 * topology exactly what live CDC does: the full envelope, no embedded schema, {@code op} {@code r} (a snapshot
 * read) and {@code time.precision.mode=adaptive_time_microseconds} (DATE as days since the epoch, TIME as
 * microseconds of the day, DATETIME as epoch milliseconds).
 */
public final class DebeziumEvents {

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private DebeziumEvents() {
    }

    public static byte[] log(final HistoryRow row) {
        final StringBuilder json = new StringBuilder(192);
        json.append("{\"before\":null,\"after\":{\"id\":").append(row.id())
                .append(",\"date\":").append(row.localTime().toLocalDate().toEpochDay())
                .append(",\"time\":").append(row.localTime().toLocalTime().toNanoOfDay() / 1000L)
                .append(",\"path\":");
        string(json, row.path());
        json.append(",\"user_id\":").append(row.userId())
                .append(",\"cohort_id\":").append(row.cohortId())
                .append(",\"ip\":");
        string(json, row.ip());
        json.append("},\"source\":{\"connector\":\"replay\",\"db\":\"curriculum_logs\",\"table\":\"logs\"},\"op\":\"r\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] cohortKey(final int id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] cohort(final CohortRow row) {
        final StringBuilder json = new StringBuilder(256);
        json.append("{\"before\":null,\"after\":{\"id\":").append(row.id()).append(",\"name\":");
        string(json, row.name());
        json.append(",\"slack\":");
        string(json, row.slack());
        json.append(",\"start_date\":").append(row.startDate().toEpochDay())
                .append(",\"end_date\":").append(row.endDate().toEpochDay())
                .append(",\"created_at\":").append(epochMillis(row.createdAt()))
                .append(",\"updated_at\":").append(epochMillis(row.updatedAt()))
                .append(",\"deleted_at\":").append(epochMillis(row.deletedAt()))
                .append(",\"program_id\":").append(row.programId())
                .append("},\"source\":{\"connector\":\"replay\",\"db\":\"curriculum_logs\",\"table\":\"cohorts\"},\"op\":\"r\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void string(final StringBuilder json, final String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        ENCODER.quoteAsString(value, json);
        json.append('"');
    }

    /** A DATETIME column as Debezium writes it (the wall-clock value read as UTC); null stays null. */
    private static Long epochMillis(final String datetime) {
        if (datetime == null || datetime.isBlank()) {
            return null;
        }
        return LocalDateTime.parse(datetime.trim(), DATETIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
