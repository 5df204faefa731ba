package io.curriculum.detector.decode;

import io.curriculum.detector.model.Cohort;

/** A decoded change of the cohorts table: the new row, or {@code cohort == null} when the cohort was deleted. */
public record CohortChange(int id, Cohort cohort) {
}
