package io.curriculum.detector.model;

/**
 * A lesson of a program, the key of a band series and of the lesson views: written {@code <programId>|<lesson>}, e.g.
 * {@code 2|java-ii/arrays}; lesson {@code *} for a whole program's series. The topology keys its stores by {@link #text()};
 * whoever reads such a key back (the views' answers, the report, the band counts) parses it with {@link #parse}.
 */
public record LessonKey(int programId, String lesson) {

    /** The lesson of a program's own series. */
    public static final String WHOLE_PROGRAM = "*";

    public LessonKey {
        if (lesson == null) {
            throw new IllegalArgumentException("a lesson key needs a lesson (or " + WHOLE_PROGRAM + " for the whole program)");
        }
    }

    /** The key as the topology writes it. */
    public String text() {
        return programId + "|" + lesson;
    }

    /** True for a program's own series. */
    public boolean wholeProgram() {
        return WHOLE_PROGRAM.equals(lesson);
    }

    /**
     * Reads a key written by {@link #text()}: the program is everything before the first {@code |}, the lesson all after it.
     *
     * @throws IllegalArgumentException when the text has no {@code |} or its program is no number
     */
    public static LessonKey parse(final String text) {
        final int separator = text.indexOf('|');
        if (separator <= 0) {
            throw new IllegalArgumentException("a lesson key is <programId>|<lesson>, not '" + text + "'");
        }
        try {
            return new LessonKey(Integer.parseInt(text.substring(0, separator)), text.substring(separator + 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("a lesson key is <programId>|<lesson>: '" + text.substring(0, separator) + "' in '" + text
                    + "' is no program id");
        }
    }

}
