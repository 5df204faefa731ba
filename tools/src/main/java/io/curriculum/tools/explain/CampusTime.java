package io.curriculum.tools.explain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Instants as the history file writes them: campus wall-clock time, {@code 2019-03-04 10:12:05}. */
final class CampusTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    CampusTime(final ZoneId zone) {
        this.zone = zone;
    }

    String format(final Instant time) {
        return time == null ? "-" : FORMAT.format(time.atZone(zone));
    }

    String format(final long epochMillis) {
        return format(Instant.ofEpochMilli(epochMillis));
    }
}
