package io.curriculum.app.cdc;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.detector.detect.Lessons;
import io.curriculum.detector.topology.ViewStores;
import io.curriculum.detector.views.LessonStats;
import io.curriculum.tools.local.ThrowawayMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The two sides of "every row counted once": rows per lesson in the database, hits per lesson in the detector's views. */
final class LessonCounts {

    private LessonCounts() {
    }

    /** {@code SELECT COUNT(*)} of {@code logs} per lesson (a path as the detector reads it; paths that are no lesson left out). */
    static Map<String, Long> inDatabase(final ThrowawayMariaDb database) throws SQLException {
        final Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT path, COUNT(*) FROM logs GROUP BY path")) {
            while (rows.next()) {
                final String lesson = Lessons.normalize(rows.getString(1));
                if (lesson != null) {
                    counts.merge(lesson, rows.getLong(2), Long::sum);
                }
            }
        }
        return counts;
    }

    /** The detector's hits per lesson, summed over programs, from its lesson-stats store (what its commits have written). */
    static Map<String, Long> inDetector(final DetectorRuntime detector) {
        final ReadOnlyKeyValueStore<String, byte[]> store = detector.streams().store(
                StoreQueryParameters.fromNameAndType(ViewStores.LESSONS, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        final Map<String, Long> counts = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<String, byte[]> entry = all.next();
                counts.merge(entry.key.substring(entry.key.indexOf('|') + 1), LessonStats.decode(entry.value).hits(), Long::sum);
            }
        }
        return counts;
    }
}
