package io.curriculum.detector.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Set;

/**
 * The id of a lesson-band alert, the record key of the lesson-band topic: {@code <rule>|<programId>|<lesson>|<since>},
 * e.g. {@code band-spike|2|java-ii/arrays|2019-03-04T06:00:00Z}; {@code lesson} is {@code *} for a whole program's
 * series, {@code since} the start of the episode's first window. The topology writes ids with {@link #text()}; tools
 * that take an id from a user read it with {@link #parse}.
 */
public record BandAlertId(String rule, int programId, String lesson, Instant since) {

    private static final Set<String> RULES = Set.of("band-spike", "band-drop");
    private static final String FORMAT = "band-spike|<programId>|<lesson>|<since> or band-drop|... "
            + "(e.g. band-spike|2|java-ii/arrays|2019-03-04T06:00:00Z; lesson * for a whole program)";

    public String text() {
        return rule + "|" + programId + "|" + lesson + "|" + since;
    }

    /** The band series the alert is about: {@code <programId>|<lesson>}. */
    public String series() {
        return new LessonKey(programId, lesson).text();
    }

    /** True when {@code text} starts like a band alert id ({@code band-spike|} or {@code band-drop|}). */
    public static boolean looksLikeOne(final String text) {
        final int separator = text.indexOf('|');
        return separator > 0 && RULES.contains(text.substring(0, separator));
    }

    /**
     * Reads an id written by {@link #text()}.
     *
     * @throws IllegalArgumentException saying what the format is and which part of {@code text} does not fit it
     */
    public static BandAlertId parse(final String text) {
        final int first = text.indexOf('|');
        final int second = first < 0 ? -1 : text.indexOf('|', first + 1);
        final int last = text.lastIndexOf('|');
        if (first < 0 || second < 0 || last <= second + 1) {
            throw new IllegalArgumentException("'" + text + "' is not a band alert id: expected " + FORMAT);
        }
        final String rule = text.substring(0, first);
        if (!RULES.contains(rule)) {
            throw new IllegalArgumentException("'" + text + "': unknown rule '" + rule + "'; expected " + FORMAT);
        }
        final int programId;
        try {
            programId = Integer.parseInt(text.substring(first + 1, second));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': '" + text.substring(first + 1, second) + "' is not a program id; expected " + FORMAT);
        }
        final Instant since;
        try {
            since = Instant.parse(text.substring(last + 1));
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "': '" + text.substring(last + 1) + "' is not an ISO-8601 instant; expected " + FORMAT);
        }
        return new BandAlertId(rule, programId, text.substring(second + 1, last), since);
    }
}
