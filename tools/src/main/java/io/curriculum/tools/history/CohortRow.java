package io.curriculum.tools.history;

import io.curriculum.detector.model.Cohort;
import java.time.LocalDate;

/**
 * A row of the {@code curriculum_logs.cohorts} table as exported: every column, so a replay can write the same
 * change event that Debezium would. {@code createdAt}, {@code updatedAt} and {@code deletedAt} are the
 * exported text ({@code "2016-06-14 19:52:26"}); {@code deletedAt} is null for the literal {@code NULL}.
 */
public record CohortRow(int id, String name, String slack, LocalDate startDate, LocalDate endDate,
                        String createdAt, String updatedAt, String deletedAt, int programId) {

    /** What the detector keeps of the row. */
    public Cohort toCohort() {
        return new Cohort(id, name, slack, startDate, endDate, deletedAt != null, programId);
    }
}
