package io.curriculum.app.faults;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates what a broken or hostile producer could write to the detector's input topics: random bytes, truncated
 * JSON, wrong types, huge strings and numbers, nulls, unknown ops, JSON of the wrong shape, deep nesting, invalid
 * UTF-8, tombstones, and well-formed rows mutated (a field dropped, doubled, retyped). A share of the records are
 * well-formed, so that the accepted path runs between the bad ones. The same seed gives the same records.
 */
final class BadRecords {

    /** One record for a topic: key and value bytes, either of them null (a value of null is a tombstone). */
    record Input(byte[] key, byte[] value, String kind) {
    }

    private static final String[] KINDS = {"random-bytes", "truncated", "wrong-type", "huge-string", "huge-number", "nulls",
            "unknown-op", "wrong-shape", "deep-nesting", "invalid-utf8", "tombstone", "mutated", "schema-garbage", "valid"};
    /** Below the broker's default message.max.bytes (1 MiB) with room for the dead-letter headers. */
    private static final int HUGE = 400_000;

    private final SplittableRandom random;
    private long nextId;
    /** Event time of the next valid row, microseconds since 2019-03-04 00:00 campus time: rows move forward in time, as a site's do. */
    private long clockMicros = 8 * 3_600_000_000L;

    BadRecords(final long seed) {
        this.random = new SplittableRandom(seed);
        this.nextId = 1_000_000L + (seed % 1000) * 100_000L;
    }

    List<Input> logs(final int count) {
        final List<Input> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inputs.add(log(KINDS[random.nextInt(KINDS.length)]));
        }
        return inputs;
    }

    List<Input> cohorts(final int count) {
        final List<Input> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inputs.add(cohort(KINDS[random.nextInt(KINDS.length)]));
        }
        return inputs;
    }

    private Input log(final String kind) {
        final byte[] key = utf8("{\"id\":" + nextId + "}");
        final String valid = validLog();
        return new Input(key, value(kind, valid, "after"), kind);
    }

    private Input cohort(final String kind) {
        final int id = random.nextInt(1, 80);
        final String valid = "{\"op\":\"" + pick("r", "c", "u") + "\",\"after\":{\"id\":" + id + ",\"name\":\"Cohort " + id
                + "\",\"slack\":\"#c" + id + "\",\"start_date\":" + (17_900 + random.nextInt(400)) + ",\"end_date\":"
                + (18_300 + random.nextInt(400)) + ",\"created_at\":null,\"updated_at\":null,\"deleted_at\":null,\"program_id\":"
                + random.nextInt(1, 5) + "}}";
        if (kind.equals("tombstone")) {
            final byte[] key = switch (random.nextInt(4)) {
                case 0 -> utf8("{\"id\":" + id + "}");
                case 1 -> null;
                case 2 -> randomBytes(random.nextInt(0, 40));
                default -> utf8("{\"id\":\"" + id + "\"}");
            };
            return new Input(key, null, kind);
        }
        return new Input(utf8("{\"id\":" + id + "}"), value(kind, valid, "after"), kind);
    }

    /** A value of the given kind, made from {@code valid} where the kind is a mutation of a good record. */
    private byte[] value(final String kind, final String valid, final String image) {
        return switch (kind) {
            case "random-bytes" -> randomBytes(random.nextInt(0, 300));
            case "truncated" -> utf8(valid.substring(0, random.nextInt(0, valid.length())));
            case "wrong-type" -> utf8(replaceValue(valid, wrongValue()));
            case "huge-string" -> utf8(replaceValue(valid, "\"" + "x/".repeat(random.nextInt(HUGE / 8, HUGE / 2)) + "\""));
            case "huge-number" -> utf8(replaceValue(valid, pick("1" + "0".repeat(400), "1e400", "-9223372036854775809",
                    "9223372036854775808", "1.5", "-0.0", "NaN", "0x10")));
            case "nulls" -> utf8(pick("null", "{}", "{\"op\":\"c\",\"" + image + "\":null}", "{\"op\":null,\"" + image + "\":{}}",
                    replaceValue(valid, "null"), "{\"schema\":null,\"payload\":null}", "{\"payload\":null}"));
            case "unknown-op" -> utf8(valid.replaceFirst("\"op\":\"[a-z]\"", "\"op\":" + pick("\"x\"", "\"\"", "\"C\"", "5", "[]",
                    "{\"c\":1}", "\"create\"", "true")));
            case "wrong-shape" -> utf8(pick("[" + valid + "]", "\"" + valid.replace("\"", "\\\"") + "\"", "42", "true", "[]",
                    "{\"after\":" + random.nextInt() + ",\"op\":\"c\"}", "{\"before\":[1,2],\"op\":\"d\"}", "{\"op\":\"c\",\"after\":[]}",
                    "{\"payload\":" + valid + "}", "{\"schema\":{},\"payload\":[1]}", "{\"__op\":\"c\"}", "{\"__deleted\":{}}",
                    "{\"id\":{\"id\":1},\"date\":[],\"time\":{},\"path\":1,\"ip\":2}", valid + valid, valid + " trailing"));
            case "deep-nesting" -> {
                final int depth = random.nextInt(1_500, 30_000);
                yield utf8("{\"op\":\"c\",\"after\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            }
            case "invalid-utf8" -> {
                final byte[] bytes = utf8(valid);
                final int at = random.nextInt(bytes.length);
                bytes[at] = (byte) pickInt(0xC3, 0xFF, 0x80, 0xED, 0xF8);
                yield bytes;
            }
            case "tombstone" -> null;
            case "mutated" -> utf8(mutate(valid));
            case "schema-garbage" -> utf8("{\"schema\":" + pick("{\"fields\":5}", "{\"fields\":[{\"field\":\"after\",\"fields\":\"x\"}]}",
                    "{\"fields\":[{\"field\":\"after\",\"fields\":[{\"field\":\"date\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},"
                            + "{\"field\":\"time\",\"name\":\"io.debezium.time.NanoTime\"}]}]}",
                    "[]", "\"s\"", "{\"fields\":[null,1,\"a\"]}") + ",\"payload\":" + valid + "}");
            default -> utf8(valid);
        };
    }

    /** A plain, valid create event of {@code logs}: 2019, campus hours, a fresh id. */
    private String validLog() {
        final long id = nextId++;
        clockMicros += random.nextLong(0, 2_000_000L);
        final long day = LocalDate.of(2019, 3, 4).toEpochDay() + clockMicros / 86_400_000_000L;
        final long micros = clockMicros % 86_400_000_000L;
        return "{\"before\":null,\"after\":{\"id\":" + id + ",\"date\":" + day + ",\"time\":" + micros + ",\"path\":\"javascript-i/lesson-"
                + random.nextInt(50) + "\",\"user_id\":" + random.nextInt(1, 900) + ",\"cohort_id\":" + random.nextInt(1, 60)
                + ",\"ip\":\"10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255) + "\"},"
                + "\"source\":{\"db\":\"curriculum_logs\",\"table\":\"logs\"},\"op\":\"" + pick("c", "r") + "\",\"ts_ms\":1551700000000}";
    }

    /** The value of a random field of the row (number, string or null) replaced by {@code replacement}. */
    private String replaceValue(final String json, final String replacement) {
        final String[] fields = {"id", "date", "time", "path", "ip", "user_id", "cohort_id", "name", "start_date", "end_date", "program_id"};
        for (int attempt = 0; attempt < 8; attempt++) {
            final String field = fields[random.nextInt(fields.length)];
            final String marker = "\"" + field + "\":";
            final int at = json.indexOf(marker);
            if (at < 0) {
                continue;
            }
            final int from = at + marker.length();
            int to = from;
            if (json.charAt(from) == '"') {
                to = json.indexOf('"', from + 1) + 1;
            } else {
                while (to < json.length() && ",}".indexOf(json.charAt(to)) < 0) {
                    to++;
                }
            }
            return json.substring(0, from) + replacement + json.substring(to);
        }
        return json;
    }

    private String wrongValue() {
        return pick("\"text\"", "\"\"", "true", "false", "[]", "[1,2]", "{}", "{\"a\":1}", "3.25", "-1", "0", "\"2019-13-45\"", "\"25:61\"",
                "\"999.1.1.1\"", "\"::g\"", "\"10.0.0.1 extra\"", String.valueOf(random.nextLong()), "\"\\u0000\"", "1e3");
    }

    private String mutate(final String valid) {
        return switch (random.nextInt(5)) {
            case 0 -> valid.replaceFirst("\"(path|ip|date|time|id|name)\":(\"[^\"]*\"|[0-9-]+),?", "");
            case 1 -> valid.replaceFirst("\\{\"id\":", "{\"id\":7,\"id\":");
            case 2 -> valid.replaceFirst("\"after\":\\{", "\"after\":{\"extra_column\":\"" + "y".repeat(random.nextInt(0, 100)) + "\",");
            case 3 -> valid.replace("\"op\":\"c\"", "\"op\":\"u\"").replace("\"op\":\"r\"", "\"op\":\"d\"");
            default -> valid.replace("\"", "'");
        };
    }

    private byte[] randomBytes(final int length) {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String pick(final String... options) {
        return options[random.nextInt(options.length)];
    }

    private int pickInt(final int... options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
