package io.curriculum.detector.detect;

/**
 * One lesson-page request as the machine-speed rules see it: when, which lesson, from which address, who
 * ({@code userId}, {@code cohortId} may be null) and the user's role that day ({@code student}, {@code alumnus}, ...).
 */
public record Hit(long time, String lesson, String ip, Long userId, Integer cohortId, String role) {
}
