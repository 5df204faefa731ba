package io.curriculum.detector.model;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An inactive-student alert, value of the inactive-student topic: a student enrolled for {@code classDays} class days
 * (weekdays, from {@code windowStart} to {@code windowEnd} inclusive) accessed the curriculum fewer than
 * {@code minAccesses} times in them. Written once, when the window has ended and the grace has passed in event time
 * ({@code detectedAt}, the event time of the access that showed it), under a deterministic key, the {@code alertId}
 * {@code inactive-student|<userId>|<cohortId>}.
 */
public record InactiveStudentAlert(
        String alertId,
        String rule,
        long userId,
        int cohortId,
        String cohort,
        int programId,
        String program,
        LocalDate windowStart,
        LocalDate windowEnd,
        int classDays,
        long accesses,
        int minAccesses,
        Instant firstAccess,
        Instant lastAccess,
        Instant detectedAt) implements AlertRecord {

    public static final String RULE = "inactive-student";
}
