package io.curriculum.detector.detect;

/**
 * One lesson-page request as the machine-speed rules see it: when, which lesson, who ({@code userId},
 * {@code cohortId} may be null) and the user's role that day ({@code student}, {@code alumnus}, ...).
 */
public record Hit(long time, String lesson, Long userId, Integer cohortId, String role) {
}
