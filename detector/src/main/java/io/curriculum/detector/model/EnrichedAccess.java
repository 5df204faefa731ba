package io.curriculum.detector.model;

import io.curriculum.detector.detect.Lessons;

/**
 * An access joined with its cohort: program (id and name), cohort name and the user's role on that day, and
 * the lesson its path shows ({@link Lessons#normalize}, null when it is not a lesson), worked out once for
 * every stage that needs it. {@code cohortName} is null and {@code programId} is {@link Program#UNKNOWN}
 * when the cohort is unknown.
 */
public record EnrichedAccess(Access access, String cohortName, int programId, Role role, String lesson) {

    public static EnrichedAccess of(final Access access, final Cohort cohort) {
        final String lesson = Lessons.normalize(access.path());
        if (cohort == null) {
            return new EnrichedAccess(access, null, Program.UNKNOWN, Role.UNKNOWN, lesson);
        }
        return new EnrichedAccess(access, cohort.name(), cohort.programId(), Role.of(cohort, access.localTime().toLocalDate()), lesson);
    }

    public String programName() {
        return Program.name(programId);
    }
}
