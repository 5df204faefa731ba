package io.curriculum.detector.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Builds Debezium change events as Kafka Connect's JsonConverter writes them, for tests: rows of
 * {@code logs} and {@code cohorts} in any {@code time.precision.mode}, wrapped as the full envelope or
 * flattened, with or without an embedded schema.
 */
public final class ChangeEvents {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** How DATE and TIME columns are written. */
    public enum Mode { ADAPTIVE, CONNECT, ISOSTRING }

    private ChangeEvents() {
    }

    public static ObjectNode logRow(final long id, final String dateTime, final String path, final Long userId, final Integer cohortId,
                                    final String ip, final Mode mode) {
        final LocalDate date = LocalDate.parse(dateTime.substring(0, 10));
        final LocalTime time = LocalTime.parse(dateTime.substring(11));
        final ObjectNode row = JSON.createObjectNode();
        row.put("id", id);
        putDate(row, "date", date, mode);
        switch (mode) {
            case ADAPTIVE:
                row.put("time", time.toNanoOfDay() / 1000L);
                break;
            case CONNECT:
                row.put("time", time.toNanoOfDay() / 1_000_000L);
                break;
            default:
                row.put("time", time + "Z");
        }
        row.put("path", path);
        if (userId == null) {
            row.putNull("user_id");
        } else {
            row.put("user_id", userId);
        }
        if (cohortId == null) {
            row.putNull("cohort_id");
        } else {
            row.put("cohort_id", cohortId);
        }
        row.put("ip", ip);
        return row;
    }

    public static ObjectNode logRow(final long id, final String dateTime, final String path, final long userId, final int cohortId, final String ip) {
        return logRow(id, dateTime, path, userId, cohortId, ip, Mode.ADAPTIVE);
    }

    public static ObjectNode cohortRow(final int id, final String name, final String start, final String end, final int program, final Mode mode) {
        final ObjectNode row = JSON.createObjectNode();
        row.put("id", id);
        row.put("name", name);
        row.put("slack", "#" + name.toLowerCase());
        putDate(row, "start_date", LocalDate.parse(start), mode);
        putDate(row, "end_date", LocalDate.parse(end), mode);
        row.put("created_at", 1_466_000_000_000L);
        row.put("updated_at", 1_466_000_000_000L);
        row.putNull("deleted_at");
        row.put("program_id", program);
        return row;
    }

    public static ObjectNode cohortRow(final int id, final String name, final String start, final String end, final int program) {
        return cohortRow(id, name, start, end, program, Mode.ADAPTIVE);
    }

    private static void putDate(final ObjectNode row, final String field, final LocalDate date, final Mode mode) {
        if (mode == Mode.ISOSTRING) {
            row.put(field, date + "Z");
        } else {
            row.put(field, (int) date.toEpochDay());
        }
    }

    /** The full envelope: {@code op} is c, r, u or d; {@code before}/{@code after} may be null. */
    public static ObjectNode envelope(final String op, final ObjectNode before, final ObjectNode after) {
        final ObjectNode envelope = JSON.createObjectNode();
        envelope.set("before", before);
        envelope.set("after", after);
        final ObjectNode source = envelope.putObject("source");
        source.put("connector", "mysql");
        source.put("db", "curriculum_logs");
        source.put("table", "logs");
        envelope.put("op", op);
        envelope.put("ts_ms", 1_700_000_000_000L);
        if (before == null) {
            envelope.putNull("before");
        }
        if (after == null) {
            envelope.putNull("after");
        }
        return envelope;
    }

    public static ObjectNode created(final ObjectNode row) {
        return envelope("c", null, row);
    }

    /** Wraps a logs payload (envelope or flattened) with the schema JsonConverter embeds when schemas.enable=true. */
    public static ObjectNode withLogSchema(final ObjectNode payload, final Mode mode, final boolean flattened) {
        final ObjectNode rowSchema = JSON.createObjectNode();
        rowSchema.put("type", "struct");
        final ArrayNode fields = rowSchema.putArray("fields");
        fields.add(field("int64", "id", null));
        fields.add(field("int32", "date", mode == Mode.ISOSTRING ? "io.debezium.time.IsoDate"
                : mode == Mode.CONNECT ? "org.apache.kafka.connect.data.Date" : "io.debezium.time.Date"));
        fields.add(field(mode == Mode.ADAPTIVE ? "int64" : mode == Mode.CONNECT ? "int32" : "string", "time",
                mode == Mode.ISOSTRING ? "io.debezium.time.IsoTime"
                        : mode == Mode.CONNECT ? "org.apache.kafka.connect.data.Time" : "io.debezium.time.MicroTime"));
        fields.add(field("string", "path", null));
        fields.add(field("int64", "user_id", null));
        fields.add(field("int64", "cohort_id", null));
        fields.add(field("string", "ip", null));
        rowSchema.put("optional", true);
        rowSchema.put("name", "curriculum.curriculum_logs.logs.Value");

        final ObjectNode schema;
        if (flattened) {
            schema = rowSchema;
        } else {
            schema = JSON.createObjectNode();
            schema.put("type", "struct");
            final ArrayNode envelopeFields = schema.putArray("fields");
            envelopeFields.add(rowSchema.deepCopy().put("field", "before"));
            envelopeFields.add(rowSchema.deepCopy().put("field", "after"));
            envelopeFields.add(field("string", "op", null));
            schema.put("name", "curriculum.curriculum_logs.logs.Envelope");
        }
        final ObjectNode wrapped = JSON.createObjectNode();
        wrapped.set("schema", schema);
        wrapped.set("payload", payload);
        return wrapped;
    }

    private static ObjectNode field(final String type, final String name, final String logical) {
        final ObjectNode field = JSON.createObjectNode();
        field.put("type", type);
        field.put("optional", true);
        if (logical != null) {
            field.put("name", logical);
        }
        field.put("field", name);
        return field;
    }

    public static byte[] bytes(final ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] key(final long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }
}
