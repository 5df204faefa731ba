package io.curriculum.detector.model;

/**
 * An access joined with its cohort: program (id and name), cohort name and the user's role on that day.
 * {@code cohortName} is null and {@code programId} is {@link Program#UNKNOWN} when the cohort is unknown.
 */
public record EnrichedAccess(Access access, String cohortName, int programId, Role role) {

    public static EnrichedAccess of(final Access access, final Cohort cohort) {
        if (cohort == null) {
            return new EnrichedAccess(access, null, Program.UNKNOWN, Role.UNKNOWN);
        }
        return new EnrichedAccess(access, cohort.name(), cohort.programId(), Role.of(cohort, access.localTime().toLocalDate()));
    }

    public String programName() {
        return Program.name(programId);
    }
}
