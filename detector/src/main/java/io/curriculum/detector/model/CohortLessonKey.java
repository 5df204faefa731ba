package io.curriculum.detector.model;

/**
 * A lesson as one cohort of a program reads it, the key of the cohort-lesson view: written {@code <programId>|<cohortId>|<lesson>},
 * e.g. {@code 2|61|java-ii/arrays}. The topology keys its store by {@link #text()}; the views' answers read keys back with
 * {@link #parse}.
 */
public record CohortLessonKey(int programId, int cohortId, String lesson) {

    public CohortLessonKey {
        if (lesson == null) {
            throw new IllegalArgumentException("a cohort-lesson key needs a lesson");
        }
    }

    /** The key as the topology writes it. */
    public String text() {
        return programId + "|" + cohortId + "|" + lesson;
    }

    /** The program's lesson, without the cohort: the key of the lesson view. */
    public LessonKey lessonKey() {
        return new LessonKey(programId, lesson);
    }

    /**
     * Reads a key written by {@link #text()}: program and cohort are the first two parts, the lesson all after the second {@code |}.
     *
     * @throws IllegalArgumentException when the text has fewer than three parts or its program or cohort is no number
     */
    public static CohortLessonKey parse(final String text) {
        final int first = text.indexOf('|');
        final int second = first < 0 ? -1 : text.indexOf('|', first + 1);
        if (first <= 0 || second <= first + 1) {
            throw new IllegalArgumentException("a cohort-lesson key is <programId>|<cohortId>|<lesson>, not '" + text + "'");
        }
        try {
            return new CohortLessonKey(Integer.parseInt(text.substring(0, first)), Integer.parseInt(text.substring(first + 1, second)),
                    text.substring(second + 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("a cohort-lesson key is <programId>|<cohortId>|<lesson>: '" + text + "' has no numeric program or cohort");
        }
    }
}
