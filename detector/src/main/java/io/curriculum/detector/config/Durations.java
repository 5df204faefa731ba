package io.curriculum.detector.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as written in configuration: {@code 20s}, {@code 10m}, {@code 1h}, {@code 1d}, {@code 500ms} or ISO-8601 {@code PT20S}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(final String text) {
        final String trimmed = text.trim();
        final Matcher matcher = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            final long amount = Long.parseLong(matcher.group(1));
            switch (matcher.group(2)) {
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                default:
                    return Duration.ofDays(amount);
            }
        }
        try {
            return Duration.parse(trimmed);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 500ms, 20s, 10m, 1h, 1d or PT20S");
        }
    }

    /** The inverse of {@link #parse} for whole units, so documented defaults read as they are written. */
    public static String format(final Duration duration) {
        final long millis = duration.toMillis();
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }
}
