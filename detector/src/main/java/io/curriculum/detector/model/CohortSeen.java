package io.curriculum.detector.model;

/** A cohort seen in an alert's evidence; {@code id} is null for accesses without a cohort. */
public record CohortSeen(Integer id, String name, int programId) {
}
