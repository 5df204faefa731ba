package io.curriculum.detector.config;

import java.time.Duration;

/**
 * Settings of the analysts' views: the inactive-student rule (fewer than {@code inactiveMinAccesses} accesses in the first
 * {@code inactiveClassDays} class days of an enrolment) and the age below which a lesson is too new to call least accessed.
 */
public record ViewSettings(int inactiveClassDays, int inactiveMinAccesses, Duration newLessonAge) {
}
