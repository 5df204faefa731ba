package io.curriculum.tools.replay;

import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes a replay's rows into the source database, {@code INSERT INTO curriculum_logs.logs} at a steady rate, for a
 * Debezium connector to capture into the replay's topics: the path a live row takes in production. The cohorts are
 * written into {@code curriculum_logs.cohorts} first (inserted, or updated to the given values), then the capture
 * starts, and its snapshot carries them to the cohorts topic.
 *
 * <p>Rows are written in transactions of 50 ms worth of rows ({@code rowsPerSecond / 20}, 1 to 1,000; one multi-row
 * INSERT each), each followed by a pause that keeps the rate steady; the table assigns their ids. {@link #flush()} returns once the logs topic
 * holds as many change events as rows were written (the snapshot's included).
 */
public final class DatabaseRowSink implements RowSink {

    /** Delivery fails when the logs topic has not grown for this long although rows are missing. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Rows of one INSERT at most (6 placeholders each; a statement takes 65,535). */
    private static final int MAX_BATCH = 1_000;

    /** The change data capture that carries the database's rows to the replay's topics. */
    public interface Capture {
        /** Starts capturing (e.g. registers the connector and waits until it runs); called once the cohorts are written. */
        void start() throws InterruptedException;

        /** What the capture reports about itself, for an error message (e.g. the connector's status). */
        String status();
    }

    private static final String INSERT = "INSERT INTO curriculum_logs.logs (date, time, path, user_id, cohort_id, ip) VALUES ";

    private final Connection connection;
    private final PreparedStatement insert;
    private final List<HistoryRow> pending = new ArrayList<>();
    private final double rowsPerSecond;
    private final int batchSize;
    private final Capture capture;
    private final Admin admin;
    private final String logsTopic;
    private long expectedEvents = -1;
    private long written;
    private long begin;

    /**
     * @param connection    a connection to the source database of a user that may write {@code curriculum_logs};
     *                      the sink owns it (closes it)
     * @param rowsPerSecond the steady rate of INSERTs
     * @param capture       what carries the rows to the topics
     * @param clientProperties the Kafka clients' settings, to watch the logs topic
     * @param logsTopic     where the capture writes the rows' change events
     */
    public DatabaseRowSink(final Connection connection, final double rowsPerSecond, final Capture capture,
                           final Properties clientProperties, final String logsTopic) throws SQLException {
        if (!(rowsPerSecond > 0)) {
            throw new IllegalArgumentException("rowsPerSecond must be positive, not " + rowsPerSecond);
        }
        this.connection = connection;
        this.rowsPerSecond = rowsPerSecond;
        this.batchSize = (int) Math.min(MAX_BATCH, Math.max(1, Math.round(rowsPerSecond / 20)));
        this.capture = capture;
        this.logsTopic = logsTopic;
        connection.setAutoCommit(false);
        this.insert = connection.prepareStatement(insertOf(batchSize));
        this.admin = Admin.create(clientProperties);
    }

    @Override
    public void sendCohorts(final List<CohortRow> cohorts) throws InterruptedException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO curriculum_logs.cohorts"
                + " (id, name, slack, start_date, end_date, created_at, updated_at, deleted_at, program_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), slack = VALUES(slack),"
                + " start_date = VALUES(start_date), end_date = VALUES(end_date), created_at = VALUES(created_at),"
                + " updated_at = VALUES(updated_at), deleted_at = VALUES(deleted_at), program_id = VALUES(program_id)");
             Statement count = connection.createStatement()) {
            for (final CohortRow row : cohorts) {
                upsert.setInt(1, row.id());
                upsert.setString(2, row.name());
                upsert.setString(3, row.slack());
                upsert.setObject(4, row.startDate());
                upsert.setObject(5, row.endDate());
                upsert.setString(6, row.createdAt());
                upsert.setString(7, row.updatedAt());
                upsert.setString(8, row.deletedAt());
                upsert.setInt(9, row.programId());
                upsert.addBatch();
            }
            upsert.executeBatch();
            connection.commit();
            try (ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM curriculum_logs.logs")) {
                rows.next();
                expectedEvents = logsEvents() + rows.getLong(1); // the snapshot sends the rows already there
            }
            connection.commit();
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot write the cohorts into curriculum_logs.cohorts: " + e.getMessage(), e);
        }
        capture.start();
        begin = System.nanoTime();
    }

    @Override
    public void send(final HistoryRow row, final long eventTime) throws InterruptedException {
        pending.add(row);
        if (pending.size() >= batchSize) {
            commit();
            final long due = begin + (long) (written * 1e9 / rowsPerSecond);
            final long ahead = due - System.nanoTime();
            if (ahead > 0) {
                TimeUnit.NANOSECONDS.sleep(ahead);
            }
        }
    }

    /** Writes the pending rows in one INSERT, one transaction. */
    private void commit() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            if (pending.size() == batchSize) {
                insert(insert);
            } else {
                try (PreparedStatement rest = connection.prepareStatement(insertOf(pending.size()))) {
                    insert(rest);
                }
            }
            connection.commit();
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot INSERT lines " + pending.get(0).line() + " to " + pending.get(pending.size() - 1).line()
                    + " of the history into curriculum_logs.logs: " + e.getMessage(), e);
        }
        written += pending.size();
        expectedEvents += pending.size();
        pending.clear();
    }

    private void insert(final PreparedStatement statement) throws SQLException {
        int i = 0;
        for (final HistoryRow row : pending) {
            statement.setObject(++i, row.localTime().toLocalDate());
            statement.setObject(++i, row.localTime().toLocalTime());
            statement.setString(++i, row.path());
            statement.setObject(++i, row.userId());
            statement.setObject(++i, row.cohortId());
            statement.setString(++i, row.ip());
        }
        statement.executeUpdate();
    }

    private static String insertOf(final int rows) {
        return INSERT + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?)"));
    }

    @Override
    public void flush() throws InterruptedException {
        commit();
        long seen = logsEvents();
        long lastGrowth = System.nanoTime();
        while (seen < expectedEvents) {
            Thread.sleep(POLL.toMillis());
            final long now = logsEvents();
            if (now > seen) {
                seen = now;
                lastGrowth = System.nanoTime();
            } else if (System.nanoTime() - lastGrowth > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "the capture delivered %,d of %,d change events to %s and none for %d s; its status: %s",
                        now, expectedEvents, logsTopic, STALL_TIMEOUT.toSeconds(), capture.status()));
            }
        }
    }

    /** Rows written into the table so far. */
    public long written() {
        return written;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, ": INSERTing its rows into curriculum_logs.logs at %,.0f rows/s, Debezium capturing them into %s",
                rowsPerSecond, logsTopic);
    }

    /** The change events on the logs topic: the sum of its partitions' end offsets. */
    private long logsEvents() throws InterruptedException {
        try {
            final TopicDescription topic = admin.describeTopics(List.of(logsTopic)).allTopicNames().get(30, TimeUnit.SECONDS).get(logsTopic);
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            topic.partitions().forEach(p -> request.put(new TopicPartition(logsTopic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(info -> info.offset()).sum();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + logsTopic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        try {
            insert.close();
            connection.close();
        } catch (final SQLException e) {
            // the connection is gone already
        }
    }
}
