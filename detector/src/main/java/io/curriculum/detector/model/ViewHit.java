package io.curriculum.detector.model;

import java.time.LocalDate;

/**
 * What the analysts' views need of one access, re-keyed by user for the by-user repartition: its event time and
 * campus day, who (user, cohort, program, role that day), from which address, and the lesson (null when the path is not a
 * lesson).
 */
public record ViewHit(long time, LocalDate day, Long userId, Integer cohortId, int programId, Role role, String lesson, String ip) {

    public static ViewHit of(final EnrichedAccess access) {
        return new ViewHit(access.access().time().toEpochMilli(), access.access().localTime().toLocalDate(), access.access().userId(),
                access.access().cohortId(), access.programId(), access.role(), access.lesson(), access.access().ip());
    }
}
