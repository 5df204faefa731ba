package io.curriculum.detector.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.LocalDate;

/** A row of {@code curriculum_logs.cohorts}: what the enrichment needs of it. */
public record Cohort(int id, String name, String slack, LocalDate startDate, LocalDate endDate, boolean softDeleted, int programId) {

    /** The cohort that holds staff accounts rather than students. */
    @JsonIgnore
    public boolean isStaff() {
        return "staff".equalsIgnoreCase(name.trim());
    }
}
