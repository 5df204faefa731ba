package io.curriculum.tools.generate;

import io.curriculum.tools.history.CohortRow;
import java.time.LocalDate;

/**
 * One generated reader: a real cohort's student (or its alumnus once the cohort has ended), a staff member
 * (the {@code Staff} cohort, reading every program), or an account without a cohort. {@code idText} and
 * {@code cohortText} are the columns as the export writes them ({@code 29.0}, or {@code NaN} without a
 * cohort); {@code homeIps} are the user's own addresses, stable over the span; {@code nat} is the campus NAT
 * address the user's class sits behind; {@code activity} scales how much the user reads.
 */
record User(int index, int id, CohortRow cohort, Kind kind, String idText, String cohortText,
            String[] homeIps, int nat, double activity) {

    /** What kind of reader the user is for the whole span (a student becomes an alumnus after the cohort ends). */
    enum Kind { STUDENT, STAFF, NO_COHORT }

    /** The program whose lessons the user mostly reads, and under which the detector counts the user's hits. */
    int programId() {
        return cohort == null ? 0 : cohort.programId();
    }

    Integer cohortId() {
        return cohort == null ? null : cohort.id();
    }

    boolean isStudentOn(final LocalDate day) {
        return kind == Kind.STUDENT && !day.isBefore(cohort.startDate()) && !day.isAfter(cohort.endDate());
    }

    boolean isAlumnusOn(final LocalDate day) {
        return kind == Kind.STUDENT && day.isAfter(cohort.endDate());
    }
}
