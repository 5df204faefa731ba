package io.curriculum.tools.replay;

import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryRow;
import java.util.List;

/**
 * Where a replay's cohorts and rows go on their way to its two source topics: produced straight to Kafka as Debezium's
 * connector would write them ({@link KafkaRowSink}), or written into a database that a Debezium connector captures
 * into those topics ({@link DatabaseRowSink}). Used by one thread, the replay's.
 */
public interface RowSink extends AutoCloseable {

    /** Sends the cohorts towards the cohorts topic; the replay then waits until the detector's cohort table holds them. */
    void sendCohorts(List<CohortRow> cohorts) throws InterruptedException;

    /** Sends one row, whose event time is {@code eventTime} (epoch milliseconds). */
    void send(HistoryRow row, long eventTime) throws InterruptedException;

    /** Returns once every row sent so far is on the logs topic; a row that could not be sent is an exception here. */
    void flush() throws InterruptedException;

    /** How the rows travel, for the progress line (" into ..."), empty when they go straight to Kafka. */
    default String description() {
        return "";
    }

    @Override
    void close();
}
