package io.curriculum.detector.model;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * One page view: a row of {@code curriculum_logs.logs}. {@code time} is the event time, the row's local
 * {@code date}+{@code time} in the campus zone; {@code userId} and {@code cohortId} may be null.
 */
public record Access(long id, LocalDateTime localTime, Instant time, String path, Long userId, Integer cohortId, String ip) {
}
