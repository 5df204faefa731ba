package io.curriculum.detector.topology;

import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandSeries;
import io.curriculum.detector.detect.BandSignal;
import io.curriculum.detector.detect.LessonBands;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.rules.RuleId;
import io.curriculum.detector.rules.RuleSet;
import io.curriculum.detector.streams.internals.MirroredStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Runs {@link LessonBands} on the lesson hits of the programs of this task (key: program id, value: the lesson) and
 * forwards each signal as a {@link BandAlert}: a spike by the hit that crosses the upper bound (open) and again with the
 * final count when the window closes (closed, or retracted), a drop episode when its first low window closes and again
 * with each further one, under one alert id ({@code band-drop|<series>|<since>}).
 */
final class LessonBandProcessor implements Processor<String, String, String, BandAlert> {

    static final String STORE = "program-band-store";

    private final RuleBook book;
    private RuleSet inForce;
    private BandRule rule;
    private ProcessorContext<String, BandAlert> context;
    /** Every series, decoded ({@link MirroredStore}: written once per commit). */
    private MirroredStore<String, BandSeries> store;
    private LessonBands bands;
    private Sensor late;
    private final Map<String, Sensor> alertsEmitted = new HashMap<>();

    LessonBandProcessor(final RuleBook book) {
        this.book = book;
    }

    @Override
    public void init(final ProcessorContext<String, BandAlert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.inForce = book.current();
        this.rule = inForce.band();
        this.bands = new LessonBands(rule, new LessonBands.Store() {
            @Override
            public BandSeries get(final String key) {
                return store.value(key);
            }

            @Override
            public void put(final String key, final BandSeries series) {
                store.put(key, series);
            }

            @Override
            public void delete(final String key) {
                store.delete(key);
            }

            @Override
            public List<String> keys() {
                final List<String> keys = new ArrayList<>(store.entries().keySet());
                keys.sort(null);
                return keys;
            }
        });
        this.late = DetectorMetrics.counter(context.metrics(), "band-hits-late",
                "hits for a lesson-band window already closed, left out of its count (partition skew beyond the grace)");
    }

    @Override
    public void process(final Record<String, String> record) {
        if (record.value() == null) {
            return;
        }
        if (book.current() != inForce) {
            inForce = book.current();
            rule = inForce.band();
            bands.use(rule);
        }
        final LessonBands.Outcome outcome = bands.onHit(Integer.parseInt(record.key()), record.value(), record.timestamp());
        if (outcome.late()) {
            late.record();
        }
        for (final LessonBands.Keyed keyed : outcome.signals()) {
            emit(keyed);
        }
    }

    private void emit(final LessonBands.Keyed keyed) {
        final BandSignal signal = keyed.signal();
        final boolean simulated = inForce.simulated(RuleId.LESSON_BAND);
        final BandAlert alert = BandAlert.of(rule, keyed).withRule(inForce.version(RuleId.LESSON_BAND), simulated);
        final long timestamp = signal.open() ? keyed.detectedAt() : rule.windowEnd(signal.windowIndex()).toEpochMilli();
        if (signal.first()) {
            final String scope = LessonBands.WHOLE_PROGRAM.equals(keyed.lesson()) ? "program" : "lesson";
            alertsEmitted.computeIfAbsent(alert.rule() + "|" + scope + "|" + simulated, k -> simulated
                    ? DetectorMetrics.counter(context.metrics(), "alerts-simulated", MachineSpeedAlerts.SIMULATED_HELP,
                    Map.of("rule", alert.rule(), "scope", scope))
                    : DetectorMetrics.counter(context.metrics(), "alerts-emitted", "alerts raised (counted once, when they open), by rule and scope",
                    Map.of("rule", alert.rule(), "scope", scope))).record();
        }
        context.forward(new Record<>(alert.alertId(), alert, timestamp));
    }
}
