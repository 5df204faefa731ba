package io.curriculum.tools.report;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandStats;
import io.curriculum.detector.detect.LessonBands;
import io.curriculum.detector.detect.Lessons;
import io.curriculum.detector.model.LessonKey;
import io.curriculum.detector.model.Program;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.EventTimeSort;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The count of every window of some lesson series, with the band each window was judged against: what a band chart
 * draws. The band alerts carry the band of their breach windows only, so after a replay the history file is read once
 * more and the chosen series are counted again with the detector's own rules: {@link Lessons#normalize} for the lesson,
 * the reader's cohort for the program, {@link LessonBands} for the windows, the bands, the program's activity, the
 * watermark and the late hits, as the lesson-band stage runs them, on the rows in event-time order as a replay sends them ({@link EventTimeSort}). Rows
 * the detector dead-letters (an unusable IP, an overlong path, a clock far ahead) or absorbs as duplicates are counted
 * here, so with such rows a window's count can differ from the detector's.
 */
public final class BandCounts {

    /** One closed window of a series: its count and its band ({@code band.judged()} false: too little history to judge). */
    public record Point(Instant windowStart, Instant windowEnd, long count, BandStats band) {
    }

    private BandCounts() {
    }

    /**
     * Counts the series {@code keys} ({@code <programId>|<lesson>}, lesson {@code *} for the whole program) of a history.
     *
     * @return the closed windows of each series that has any, oldest first, by key in the order of {@code keys}
     */
    public static Map<LessonKey, List<Point>> of(final Path history, final List<CohortRow> cohorts, final DetectorConfig config,
                                                 final Set<LessonKey> keys) {
        final Map<LessonKey, List<Point>> points = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return points;
        }
        keys.forEach(key -> points.put(key, new ArrayList<>()));
        final Set<Integer> programs = new HashSet<>();
        keys.forEach(key -> programs.add(key.programId()));
        final Map<Integer, Integer> programOf = new HashMap<>();
        cohorts.forEach(c -> programOf.put(c.id(), c.programId()));
        final BandRule rule = new BandRule(config.band(), config.campusZone(), config.grace());
        // every lesson of a charted program is counted: a lesson is judged in proportion to what the program's lessons read
        final LessonBands bands = new LessonBands(rule, LessonBands.Store.inMemory(), key -> programs.contains(LessonBands.programOf(key)),
                (key, window, count, band) -> {
                    final List<Point> of = points.get(LessonKey.parse(key));
                    if (of != null) {
                        of.add(new Point(rule.windowStart(window), rule.windowEnd(window), count, band));
                    }
                });
        final ZoneId zone = config.campusZone();
        try (HistoryReader reader = HistoryReader.open(history, bad -> { });
             EventTimeSort rows = EventTimeSort.of(reader, zone, Path.of(System.getProperty("java.io.tmpdir")), EventTimeSort.CHUNK_ROWS)) {
            while (rows.hasNext()) {
                final EventTimeSort.Timed timed = rows.next();
                final HistoryRow row = timed.row();
                final String lesson = Lessons.normalize(row.path());
                if (lesson == null) {
                    continue;
                }
                final int program = row.cohortId() == null ? Program.UNKNOWN : programOf.getOrDefault(row.cohortId(), Program.UNKNOWN);
                if (programs.contains(program)) {
                    bands.onHit(program, lesson, timed.time());
                }
            }
        }
        points.values().removeIf(List::isEmpty);
        return points;
    }
}
