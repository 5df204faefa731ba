package io.curriculum.detector.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.util.Locale;

/** What a user is on the day of an access, from their cohort's dates. */
public enum Role {
    STUDENT,
    ALUMNUS,
    STAFF,
    BEFORE_START,
    /** No cohort on the row, or a cohort the detector does not know (yet). */
    UNKNOWN;

    /** Role on {@code day}: staff for the Staff cohort, else by the cohort's start and end dates (both inclusive). */
    public static Role of(final Cohort cohort, final LocalDate day) {
        if (cohort == null) {
            return UNKNOWN;
        }
        if (cohort.isStaff()) {
            return STAFF;
        }
        if (day.isBefore(cohort.startDate())) {
            return BEFORE_START;
        }
        return day.isAfter(cohort.endDate()) ? ALUMNUS : STUDENT;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
