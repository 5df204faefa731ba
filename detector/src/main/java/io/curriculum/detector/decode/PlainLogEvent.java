package io.curriculum.detector.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The fast path of {@link LogDecoder}: a logs change event in the form almost every record has — the full envelope
 * without an embedded schema, {@code op} {@code c} or {@code r}, the row's columns as plain numbers and strings — read
 * in one pass of a streaming parser, without building a tree, and skipping what the detector does not use (the
 * {@code source} block, {@code before}, timestamps). Anything else — a schema, a flattened row, an update or delete, a
 * column of another type or out of range, a field seen twice, malformed JSON — makes {@link #read} return null, and
 * the decoder takes the general path, which accepts or rejects it with its reason. So this class decides nothing: it
 * only recognises the plain case, whose values the general path would read the same way.
 */
final class PlainLogEvent {

    private static final JsonFactory JSON = new JsonFactory();
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** LocalDate.ofEpochDay's range, rounded in: a larger day number is left to the general path's error. */
    private static final long MAX_EPOCH_DAY = 365_000_000L;

    long id;
    long epochDay;
    long nanoOfDay;
    String path;
    String ip;
    Long userId;
    Integer cohortId;

    private PlainLogEvent() {
    }

    /** The row of a plain create or snapshot event; null when {@code value} is anything else. */
    static PlainLogEvent read(final byte[] value, final long nanosPerTimeUnit) {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            PlainLogEvent row = null;
            boolean op = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                final JsonToken token = parser.nextToken();
                switch (field) {
                    case "op" -> {
                        if (op || token != JsonToken.VALUE_STRING || !(parser.getText().equals("c") || parser.getText().equals("r"))) {
                            return null;
                        }
                        op = true;
                    }
                    case "after" -> {
                        if (row != null || token != JsonToken.START_OBJECT) {
                            return null;
                        }
                        row = row(parser, nanosPerTimeUnit);
                        if (row == null) {
                            return null;
                        }
                    }
                    case "schema", "payload", "__op", "__deleted" -> {
                        return null;
                    }
                    default -> parser.skipChildren();
                }
            }
            return op ? row : null;
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    private static PlainLogEvent row(final JsonParser parser, final long nanosPerTimeUnit) throws IOException {
        final PlainLogEvent row = new PlainLogEvent();
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            final JsonToken token = parser.nextToken();
            final int bit = switch (field) {
                case "id" -> 1;
                case "date" -> 2;
                case "time" -> 4;
                case "path" -> 8;
                case "ip" -> 16;
                case "user_id" -> 32;
                case "cohort_id" -> 64;
                default -> 0;
            };
            if (bit == 0) {
                parser.skipChildren();
                continue;
            }
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            switch (field) {
                case "id" -> {
                    if (!isLong(parser, token)) {
                        return null;
                    }
                    row.id = parser.getLongValue();
                }
                case "date" -> {
                    if (!isLong(parser, token) || Math.abs(parser.getLongValue()) > MAX_EPOCH_DAY) {
                        return null;
                    }
                    row.epochDay = parser.getLongValue();
                }
                case "time" -> {
                    if (!isLong(parser, token) || parser.getLongValue() < 0 || parser.getLongValue() >= NANOS_PER_DAY / nanosPerTimeUnit) {
                        return null;
                    }
                    row.nanoOfDay = parser.getLongValue() * nanosPerTimeUnit;
                }
                case "path", "ip" -> {
                    if (token != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    if (field.equals("path")) {
                        row.path = parser.getText();
                    } else {
                        row.ip = parser.getText();
                    }
                }
                case "user_id" -> {
                    if (token != JsonToken.VALUE_NULL) {
                        if (!isLong(parser, token)) {
                            return null;
                        }
                        row.userId = parser.getLongValue();
                    }
                }
                default -> {
                    if (token != JsonToken.VALUE_NULL) {
                        if (!isLong(parser, token) || parser.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        row.cohortId = parser.getIntValue();
                    }
                }
            }
        }
        return (seen & 31) == 31 ? row : null;
    }

    private static boolean isLong(final JsonParser parser, final JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }
}
