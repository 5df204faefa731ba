package io.curriculum.tools.generate;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandSignal;
import io.curriculum.detector.detect.LessonBands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated history through the detector's lesson bands ({@link LessonBands}, the code the lesson-band stage runs), in
 * event time, without Kafka: every band signal, with the series, the window and the episode it belongs to. As in a replay,
 * the last day is never closed (no later row moves event time past it).
 */
final class BandReplay {

    /** One band record: rule, series ({@code program|lesson}), the alert's start ({@code since}) and its window. */
    record Band(String rule, String series, Instant since, Instant windowStart, String status, boolean first, int episodeWindows,
                double score, long count, double expected) {

        String alertId() {
            return rule + "|" + series + "|" + since;
        }
    }

    private BandReplay() {
    }

    static List<Band> of(final GeneratedHistory history, final DetectorConfig config) {
        final BandRule rule = new BandRule(config.band(), config.campusZone(), config.grace());
        final LessonBands bands = new LessonBands(rule, LessonBands.Store.inMemory());
        final List<Band> out = new ArrayList<>();
        for (final GeneratedHistory.Request r : history.requests()) {
            if (r.lesson() == null) {
                continue;
            }
            final long millis = r.time() * 1000;
            add(out, rule, bands.onHit(r.programId(), r.lesson(), millis).signals());
        }
        return out;
    }

    private static void add(final List<Band> out, final BandRule rule, final List<LessonBands.Keyed> signals) {
        for (final LessonBands.Keyed k : signals) {
            final BandSignal s = k.signal();
            out.add(new Band(s.spike() ? "band-spike" : "band-drop", k.series(), rule.windowStart(s.sinceWindow()),
                    rule.windowStart(s.windowIndex()), s.status(), s.first(), s.episodeWindows(), s.stats().score(s.count()), s.count(),
                    s.stats().expected()));
        }
    }
}
