package io.curriculum.detector.topology;

import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandSeries;
import io.curriculum.detector.detect.BandSettings;
import io.curriculum.detector.detect.BandSignal;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.Program;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Counts lesson hits per series ({@code <programId>|<lesson>}, and {@code <programId>|*} for the whole program)
 * in event-time windows and checks each window
 * against its Bollinger band. A spike is flagged by the hit that crosses the upper bound; drops, and the
 * final count of spikes, when the window closes. The hit that makes a window closable also closes the windows
 * of every series that got no hit at all (a drop to zero is the clearest drop), and forgets series whose
 * history is all zeros.
 */
final class LessonBandProcessor implements Processor<String, Void, String, BandAlert> {

    static final String STORE = "lesson-band-store";
    /** The lesson name of a program's series of all its lessons together. */
    static final String WHOLE_PROGRAM = "*";

    private final BandRule rule;
    private final BandSettings settings;
    private ProcessorContext<String, BandAlert> context;
    /** Every series, decoded ({@link MirroredStore}: written once per commit). */
    private MirroredStore<String, BandSeries> store;
    private Sensor late;
    private final Map<String, Sensor> alertsEmitted = new HashMap<>();
    private long watermark = Long.MIN_VALUE;
    private long sweptUpTo = Long.MIN_VALUE;

    LessonBandProcessor(final BandRule rule, final BandSettings settings) {
        this.rule = rule;
        this.settings = settings;
    }

    @Override
    public void init(final ProcessorContext<String, BandAlert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.late = DetectorMetrics.counter(context.metrics(), "band-hits-late",
                "hits for a lesson-band window already closed, left out of its count (partition skew beyond the grace)");
    }

    @Override
    public void process(final Record<String, Void> record) {
        watermark = Math.max(watermark, record.timestamp());
        final BandSeries known = store.value(record.key());
        final BandSeries series = known == null ? rule.newSeries() : known;
        final List<BandSignal> signals = rule.onAccess(series, record.timestamp(), watermark);
        if (signals == null) {
            late.record();
            return;
        }
        store.put(record.key(), series);
        emit(record.key(), signals, record.timestamp());
        sweep();
    }

    /**
     * Closes the windows of every series once the watermark makes a new window closable. Run by the hit that
     * moves the watermark there, not by a punctuation (whose timing follows the poll batches), so the same
     * input closes the same windows at the same point, with the same {@code detectedAt}.
     */
    private void sweep() {
        final long closable = rule.lastClosable(watermark);
        if (closable <= sweptUpTo) {
            return;
        }
        sweptUpTo = closable;
        final List<Map.Entry<String, BandSeries>> all = new ArrayList<>(store.entries().entrySet());
        all.sort(Map.Entry.comparingByKey()); // in key order, as a scan of the store would: the same alerts in the same order
        for (final Map.Entry<String, BandSeries> entry : all) {
            final BandSeries series = entry.getValue();
            final long closedBefore = series.lastClosed();
            final List<BandSignal> signals = rule.closeUpTo(series, closable);
            emit(entry.getKey(), signals, watermark);
            if (series.isEmpty()) {
                store.delete(entry.getKey());
            } else if (series.lastClosed() != closedBefore) {
                store.put(entry.getKey(), series);
            }
        }
    }

    /** {@code hitTime} is the event time of the hit being processed: when an open spike was detected. */
    private void emit(final String key, final List<BandSignal> signals, final long hitTime) {
        final int separator = key.indexOf('|');
        final int programId = Integer.parseInt(key.substring(0, separator));
        final String lesson = key.substring(separator + 1);
        for (final BandSignal signal : signals) {
            final String kind = signal.spike() ? "spike" : "drop";
            final String alertId = "band-" + kind + "|" + key + "|" + rule.windowStart(signal.windowIndex());
            final BandAlert alert = new BandAlert(alertId, "band-" + kind, signal.open() ? "open" : "closed",
                    programId, Program.name(programId), lesson,
                    rule.windowStart(signal.windowIndex()), rule.windowEnd(signal.windowIndex()), signal.count(),
                    signal.stats().mean(), signal.stats().stddev(), signal.stats().lower(), signal.stats().upper(),
                    settings.k(), signal.stats().historyWindows(), Instant.ofEpochMilli(signal.open() ? hitTime : watermark));
            final long timestamp = signal.open() ? hitTime : rule.windowEnd(signal.windowIndex()).toEpochMilli();
            if (signal.open() || !signal.spike()) {
                alertsEmitted.computeIfAbsent(alert.rule() + "|" + lesson.equals(WHOLE_PROGRAM), k -> DetectorMetrics.counter(context.metrics(),
                        "alerts-emitted", "alerts raised (counted once, when they open), by rule and scope",
                        Map.of("rule", alert.rule(), "scope", WHOLE_PROGRAM.equals(lesson) ? "program" : "lesson"))).record();
            }
            context.forward(new Record<>(alertId, alert, timestamp));
        }
    }
}
