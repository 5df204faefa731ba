package io.curriculum.detector.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.curriculum.detector.config.TimePrecisionMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads Debezium JSON as Kafka Connect's JsonConverter writes it: with or without an embedded schema
 * ({@code {"schema": ..., "payload": ...}}), as the full envelope ({@code before/after/op/source}) or
 * flattened by {@code ExtractNewRecordState} (row columns, optional {@code __op} and {@code __deleted}),
 * and with DATE and TIME columns in every {@code time.precision.mode}.
 */
final class DebeziumJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final TimePrecisionMode mode;

    DebeziumJson(final TimePrecisionMode mode) {
        this.mode = mode;
    }

    static JsonNode parse(final byte[] bytes) {
        try {
            final JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new InvalidRecordException(RejectReason.NOT_JSON, "empty value");
            }
            return node;
        } catch (final JsonProcessingException e) {
            throw new InvalidRecordException(RejectReason.NOT_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new InvalidRecordException(RejectReason.NOT_JSON, "unreadable: " + e.getMessage());
        }
    }

    /** The change event in {@code value}, or null when the payload is null (a tombstone written with schemas). */
    ChangeEvent unwrap(final byte[] value) {
        JsonNode root = parse(value);
        JsonNode schema = null;
        if (root.isObject() && root.has("payload") && root.has("schema")) {
            schema = root.get("schema");
            root = root.get("payload");
            if (root.isNull()) {
                return null;
            }
        }
        if (!root.isObject()) {
            throw new InvalidRecordException(RejectReason.NOT_JSON, "expected a JSON object, got " + root.getNodeType());
        }
        if (root.has("op") && (root.has("after") || root.has("before"))) {
            return envelope(root, schema);
        }
        return flattened(root, schema);
    }

    private ChangeEvent envelope(final JsonNode root, final JsonNode schema) {
        final String op = root.get("op").asText();
        final ChangeEvent.Op kind = op(op, "op");
        final String image = kind == ChangeEvent.Op.DELETE ? "before" : "after";
        final JsonNode row = root.get(image);
        if (row == null || !row.isObject()) {
            throw new InvalidRecordException(RejectReason.MISSING_FIELD, "op '" + op + "' without a '" + image + "' row");
        }
        return new ChangeEvent(kind, row, logicalTypes(schema, image));
    }

    private ChangeEvent flattened(final JsonNode root, final JsonNode schema) {
        final JsonNode op = root.get("__op");
        ChangeEvent.Op kind = op == null || op.isNull() ? ChangeEvent.Op.UPSERT : op(op.asText(), "__op");
        final JsonNode deleted = root.get("__deleted");
        if (deleted != null && (deleted.asText().equals("true") || deleted.asBoolean(false))) {
            kind = ChangeEvent.Op.DELETE;
        }
        return new ChangeEvent(kind, root, logicalTypes(schema, null));
    }

    private static ChangeEvent.Op op(final String op, final String field) {
        switch (op) {
            case "c":
                return ChangeEvent.Op.CREATE;
            case "r":
                return ChangeEvent.Op.READ;
            case "u":
                return ChangeEvent.Op.UPDATE;
            case "d":
                return ChangeEvent.Op.DELETE;
            default:
                throw new InvalidRecordException(RejectReason.UNKNOWN_OP, "unknown " + field + " '" + op + "' (expected c, r, u or d)");
        }
    }

    /** Column name → logical type name, from the embedded schema of the row (the envelope's {@code image} field, or the flat struct). */
    private static Map<String, String> logicalTypes(final JsonNode schema, final String image) {
        if (schema == null || !schema.has("fields")) {
            return Map.of();
        }
        JsonNode rowSchema = schema;
        if (image != null) {
            rowSchema = null;
            for (final JsonNode field : schema.get("fields")) {
                if (image.equals(field.path("field").asText())) {
                    rowSchema = field;
                }
            }
            if (rowSchema == null || !rowSchema.has("fields")) {
                return Map.of();
            }
        }
        final Map<String, String> types = new HashMap<>();
        for (final JsonNode field : rowSchema.get("fields")) {
            if (field.hasNonNull("name")) {
                types.put(field.path("field").asText(), field.get("name").asText());
            }
        }
        return types;
    }

    static JsonNode required(final ChangeEvent event, final String column) {
        final JsonNode node = event.row().get(column);
        if (node == null || node.isNull()) {
            throw new InvalidRecordException(RejectReason.MISSING_FIELD, "missing field '" + column + "'");
        }
        return node;
    }

    /** Largest magnitude a double holds exactly: a float such as {@code 8.0} is accepted as a whole number up to it. */
    private static final double EXACT_DOUBLE = 9_007_199_254_740_992d;

    static long integral(final JsonNode node, final String column) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return node.longValue();
            }
        } else if (node.isFloatingPointNumber()) {
            final double value = node.doubleValue();
            if (value == Math.rint(value) && Math.abs(value) <= EXACT_DOUBLE) {
                return (long) value;
            }
        }
        throw new InvalidRecordException(RejectReason.INVALID_FIELD, "field '" + column + "' is not a whole number in range: " + abbreviate(node));
    }

    static int integer(final JsonNode node, final String column) {
        final long value = integral(node, column);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidRecordException(RejectReason.INVALID_FIELD, "field '" + column + "' is out of range: " + value);
        }
        return (int) value;
    }

    static Long optionalIntegral(final ChangeEvent event, final String column) {
        final JsonNode node = event.row().get(column);
        return node == null || node.isNull() ? null : integral(node, column);
    }

    static String text(final JsonNode node, final String column) {
        if (!node.isTextual()) {
            throw new InvalidRecordException(RejectReason.INVALID_FIELD, "field '" + column + "' is not a string: " + abbreviate(node));
        }
        return node.textValue();
    }

    /** A DATE column: days since the epoch (adaptive and connect modes), an ISO date (isostring), or epoch ms for timestamp types. */
    LocalDate date(final ChangeEvent event, final String column) {
        final JsonNode node = required(event, column);
        final String logical = event.logicalTypes().getOrDefault(column, "");
        try {
            if (node.isNumber()) {
                final long value = integral(node, column);
                if (logical.endsWith("Timestamp")) {
                    return Instant.ofEpochMilli(value).atOffset(ZoneOffset.UTC).toLocalDate();
                }
                return LocalDate.ofEpochDay(value);
            }
            if (node.isTextual()) {
                return LocalDate.parse(stripZone(node.textValue(), 10));
            }
        } catch (final DateTimeException e) {
            throw new InvalidRecordException(RejectReason.INVALID_DATE, "field '" + column + "' is not a date: " + abbreviate(node));
        }
        throw new InvalidRecordException(RejectReason.INVALID_DATE, "field '" + column + "' is not a date: " + abbreviate(node));
    }

    /**
     * A TIME column: microseconds of the day ({@code io.debezium.time.MicroTime}, adaptive_time_microseconds),
     * milliseconds ({@code org.apache.kafka.connect.data.Time} or {@code io.debezium.time.Time}, connect),
     * nanoseconds ({@code io.debezium.time.NanoTime}) or an ISO time (isostring). Without a schema, numbers
     * are read in the configured mode.
     */
    LocalTime time(final ChangeEvent event, final String column) {
        final JsonNode node = required(event, column);
        final String logical = event.logicalTypes().get(column);
        try {
            if (node.isNumber()) {
                final long value = integral(node, column);
                final long nanosPerUnit;
                if (logical == null) {
                    nanosPerUnit = mode == TimePrecisionMode.CONNECT ? 1_000_000L : 1000L;
                } else if (logical.equals("io.debezium.time.MicroTime")) {
                    nanosPerUnit = 1000L;
                } else if (logical.equals("io.debezium.time.NanoTime")) {
                    nanosPerUnit = 1L;
                } else {
                    nanosPerUnit = 1_000_000L;
                }
                if (value < 0 || value >= NANOS_PER_DAY / nanosPerUnit) {
                    throw new InvalidRecordException(RejectReason.INVALID_DATE, "field '" + column + "' is not a time of day: " + value);
                }
                return LocalTime.ofNanoOfDay(value * nanosPerUnit);
            }
            if (node.isTextual()) {
                return LocalTime.parse(stripZone(node.textValue(), 5));
            }
        } catch (final DateTimeException e) {
            throw new InvalidRecordException(RejectReason.INVALID_DATE, "field '" + column + "' is not a time: " + abbreviate(node));
        }
        throw new InvalidRecordException(RejectReason.INVALID_DATE, "field '" + column + "' is not a time: " + abbreviate(node));
    }

    /** Drops a trailing {@code Z} or {@code ±hh:mm} that isostring mode appends (past the first {@code minLength} characters). */
    private static String stripZone(final String text, final int minLength) {
        if (text.endsWith("Z")) {
            return text.substring(0, text.length() - 1);
        }
        final int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        return sign >= minLength ? text.substring(0, sign) : text;
    }

    static String abbreviate(final JsonNode node) {
        final String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    static String utf8(final byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
