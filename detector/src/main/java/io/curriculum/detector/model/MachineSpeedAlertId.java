package io.curriculum.detector.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Set;

/**
 * The id of a machine-speed alert, the record key of the suspicious-IP topic: {@code <rule>|<scope>|<key>|<keyTime>},
 * e.g. {@code burst|client|72.191.33.138|247|2019-05-13T19:20:00Z}. {@code key} is the scope's key (an address, a
 * {@link ClientKey} {@code <ip>|<userId>}, or a user id) and {@code keyTime} the start of the episode's evidence when it
 * opened. The topology writes ids with {@link #text()}; tools that take an id from a user read it with {@link #parse}.
 */
public record MachineSpeedAlertId(String rule, String scope, String key, Instant keyTime) {

    private static final Set<String> RULES = Set.of("burst", "crawl");
    private static final Set<String> SCOPES = Set.of("ip", "client", "user");
    private static final String FORMAT = "<rule>|<scope>|<key>|<time> (rule burst or crawl; scope ip, client or user; "
            + "e.g. burst|ip|203.0.113.9|2019-03-04T16:12:00Z or crawl|client|203.0.113.9|417|2019-03-04T16:12:00Z)";

    public String text() {
        return rule + "|" + scope + "|" + key + "|" + keyTime;
    }

    /** True when {@code text} starts like a machine-speed alert id ({@code burst|} or {@code crawl|}). */
    public static boolean looksLikeOne(final String text) {
        final int separator = text.indexOf('|');
        return separator > 0 && RULES.contains(text.substring(0, separator));
    }

    /**
     * Reads an id written by {@link #text()}.
     *
     * @throws IllegalArgumentException saying what the format is and which part of {@code text} does not fit it
     */
    public static MachineSpeedAlertId parse(final String text) {
        final int first = text.indexOf('|');
        final int second = first < 0 ? -1 : text.indexOf('|', first + 1);
        final int last = text.lastIndexOf('|');
        if (first < 0 || second < 0 || last <= second + 1) {
            throw new IllegalArgumentException("'" + text + "' is not a machine-speed alert id: expected " + FORMAT);
        }
        final String rule = text.substring(0, first);
        final String scope = text.substring(first + 1, second);
        final String key = text.substring(second + 1, last);
        if (!RULES.contains(rule)) {
            throw new IllegalArgumentException("'" + text + "': unknown rule '" + rule + "'; expected " + FORMAT);
        }
        if (!SCOPES.contains(scope)) {
            throw new IllegalArgumentException("'" + text + "': unknown scope '" + scope + "'; expected " + FORMAT);
        }
        if ("client".equals(scope)) {
            ClientKey.parse(key);
        }
        final Instant keyTime;
        try {
            keyTime = Instant.parse(text.substring(last + 1));
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "': '" + text.substring(last + 1) + "' is not an ISO-8601 instant; expected " + FORMAT);
        }
        return new MachineSpeedAlertId(rule, scope, key, keyTime);
    }
}
