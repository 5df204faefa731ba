package io.curriculum.tools.history;

import java.time.LocalDateTime;

/**
 * One request of a history file, as the {@code logs} table holds it. {@code id} is the table's id when the file
 * has one (a CSV export with an {@code id} column), else the line number, so ids grow with the file as the
 * table's auto-increment ids do. {@code ip} is the text as written: the detector judges it.
 */
public record HistoryRow(long id, long line, LocalDateTime localTime, String path, Long userId, Integer cohortId, String ip) {
}
