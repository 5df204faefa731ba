package io.curriculum.detector.config;

import java.util.Locale;

/** Debezium's {@code time.precision.mode}: how DATE and TIME columns are encoded in change events. */
public enum TimePrecisionMode {
    /** DATE as days since the epoch, TIME as microseconds of the day (Debezium's default). */
    ADAPTIVE_TIME_MICROSECONDS,
    /** DATE as days since the epoch, TIME as milliseconds of the day (Kafka Connect's logical types). */
    CONNECT,
    /** DATE and TIME as ISO-8601 strings such as {@code 2025-01-06Z} and {@code 23:59:58Z}. */
    ISOSTRING;

    public static TimePrecisionMode parse(final String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not one of adaptive_time_microseconds, connect, isostring");
        }
    }
}
