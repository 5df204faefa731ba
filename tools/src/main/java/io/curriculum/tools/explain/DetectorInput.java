package io.curriculum.tools.explain;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.decode.InvalidRecordException;
import io.curriculum.detector.decode.LogDecoder;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.EnrichedAccess;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.EventTimeSort;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import io.curriculum.tools.replay.DebeziumEvents;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a history file as the detector's stages get them in a replay, without Kafka: read as the replay reads
 * them ({@link HistoryReader}), in event-time order ({@link EventTimeSort}), written as the change event the replay
 * produces ({@link DebeziumEvents}) and decoded by the detector's own {@link LogDecoder} (so addresses are canonical and
 * the rows it dead-letters are known, with their reason), a row delivered twice (same event time and id) absorbed as
 * the intake absorbs it, and enriched with its cohort ({@link EnrichedAccess#of}).
 *
 * <p>What it leaves out of the intake: rows held for clock skew are released in event-time order, which a sorted input
 * already is, and the wall-clock check (a row dated ahead of now) never meets a history.
 */
final class DetectorInput {

    /** Receives each row: accepted (enriched) or dead-lettered (the row, its event time and the reason). */
    interface Visitor {
        void accepted(EnrichedAccess access);

        void rejected(HistoryRow row, long time, String reason);
    }

    /** What a pass read: rows, lines that were not rows, rows dead-lettered, and the first and last event times. */
    record Summary(long rows, long badLines, long rejected, long firstTime, long lastTime) {
    }

    private final DetectorConfig config;
    private final Map<Integer, Cohort> cohorts = new HashMap<>();

    DetectorInput(final DetectorConfig config, final List<CohortRow> cohortRows) {
        this.config = config;
        cohortRows.forEach(row -> cohorts.put(row.id(), row.toCohort()));
    }

    /** The cohort of an id as the cohort table holds it, or null when the table does not know it. */
    Cohort cohort(final int id) {
        return cohorts.get(id);
    }

    /** Reads the whole file once, handing every row to {@code visitor} in the order a replay's detector processes them. */
    Summary read(final Path file, final Visitor visitor) {
        final LogDecoder decoder = new LogDecoder(config.timePrecisionMode(), config.campusZone(), config.maxPathLength());
        final long[] badLines = {0};
        long rows = 0;
        long rejected = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long currentTime = Long.MIN_VALUE;
        final Set<Long> idsAtCurrentTime = new HashSet<>();
        try (HistoryReader reader = HistoryReader.open(file, bad -> badLines[0]++);
             EventTimeSort sorted = EventTimeSort.of(reader, config.campusZone(), Path.of(System.getProperty("java.io.tmpdir")),
                     EventTimeSort.CHUNK_ROWS)) {
            while (sorted.hasNext()) {
                final EventTimeSort.Timed timed = sorted.next();
                final HistoryRow row = timed.row();
                rows++;
                first = Math.min(first, timed.time());
                last = Math.max(last, timed.time());
                final Access access;
                try {
                    access = decoder.decode(DebeziumEvents.log(row));
                } catch (final InvalidRecordException e) {
                    rejected++;
                    visitor.rejected(row, timed.time(), e.reason().code() + ": " + e.getMessage());
                    continue;
                }
                final long time = access.time().toEpochMilli();
                if (time != currentTime) {
                    currentTime = time;
                    idsAtCurrentTime.clear();
                }
                if (!idsAtCurrentTime.add(access.id())) {
                    continue;
                }
                visitor.accepted(EnrichedAccess.of(access, access.cohortId() == null ? null : cohorts.get(access.cohortId())));
            }
        }
        return new Summary(rows, badLines[0], rejected, first, last);
    }
}
