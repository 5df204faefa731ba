package io.curriculum.app.metrics;

import io.curriculum.detector.decode.RejectReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The detector's own meters, in Prometheus' naming: the Kafka Streams custom metrics that the topology records
 * (group {@value #GROUP}) summed over threads and tasks, plus the state of the client and the event-time lag.
 * <ul>
 *   <li>{@code detector_accesses_processed_total{program,role}}, {@code detector_alerts_emitted_total{rule,scope}},
 *   {@code detector_dead_lettered_total{reason}}, {@code detector_duplicates_absorbed_total},
 *   {@code detector_log_changes_ignored_total}, {@code detector_band_hits_late_total}, {@code detector_alerts_simulated_total{rule,scope}}; each with the description
 *   the topology gives it as its HELP text;</li>
 *   <li>{@code detector_event_time_lag_seconds}: how far the newest accepted event trails the reference (the wall
 *   clock for a live detector; the newest row produced, in a replay);</li>
 *   <li>{@code detector_streams_running} (1 or 0) and {@code detector_streams_state{state}} (1 for the current state).</li>
 * </ul>
 * Counters that appear while the detector runs (a new program, role or reason) are registered by {@link #refresh()},
 * which the metrics endpoint calls before every scrape.
 */
public final class DetectorMeters {

    static final String GROUP = "stream-curriculum-detector-metrics";
    /** Kafka's own bookkeeping tags: the meters sum over them. */
    private static final Set<String> INTERNAL_TAGS = Set.of("thread-id", "task-id", "processor-node-id", "curriculum-detector-id");
    private static final String TOTAL = "-total";
    private static final String NEWEST_EVENT = "event-time-newest-ms";
    private static final String[][] ALERT_KINDS = {
        {"burst", "ip"}, {"burst", "client"}, {"burst", "user"}, {"crawl", "client"}, {"crawl", "user"},
        {"band-spike", "lesson"}, {"band-spike", "program"}, {"band-drop", "lesson"}, {"band-drop", "program"}};

    private final KafkaStreams streams;
    private final MeterRegistry registry;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public DetectorMeters(final KafkaStreams streams, final MeterRegistry registry, final LongSupplier referenceTimeMs) {
        this.streams = streams;
        this.registry = registry;
        Gauge.builder("detector.event.time.lag", this, m -> m.lagSeconds(referenceTimeMs.getAsLong()))
                .description("seconds by which the newest accepted access trails the wall clock (live) or the newest row produced (replay)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("detector.streams.running", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while this detector's Kafka Streams client is RUNNING (processing), else 0")
                .register(registry);
        for (final KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("detector.streams.state", streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the state this detector's Kafka Streams client is in, 0 for the others")
                    .tag("state", state.name())
                    .register(registry);
        }
        // every label set that dashboards and alert rules ask for exists from the start, at zero
        for (final RejectReason reason : RejectReason.values()) {
            register("dead-lettered-total", "records sent to the dead-letter topic (their original bytes, with the reason in the headers), by reason", Tags.of("reason", reason.code()));
        }
        for (final String[] kind : ALERT_KINDS) {
            register("alerts-emitted-total", "alerts raised (counted once, when they open), by rule and scope", Tags.of("rule", kind[0], "scope", kind[1]));
        }
        refresh();
    }

    /** Registers a meter for every detector counter that has appeared since the last call. */
    public void refresh() {
        for (final MetricName name : streams.metrics().keySet()) {
            if (name.group().equals(GROUP) && name.name().endsWith(TOTAL)) {
                register(name.name(), name.description(), labels(name));
            }
        }
    }

    private void register(final String metricName, final String description, final Tags tags) {
        final String meter = "detector." + metricName.substring(0, metricName.length() - TOTAL.length()).replace('-', '.');
        if (registered.add(meter + tags)) {
            FunctionCounter.builder(meter, this, m -> m.sum(metricName, tags))
                    .description(description)
                    .tags(tags)
                    .register(registry);
        }
    }

    private static Tags labels(final MetricName name) {
        final List<Tag> tags = new ArrayList<>();
        for (final Map.Entry<String, String> tag : name.tags().entrySet()) {
            if (!INTERNAL_TAGS.contains(tag.getKey())) {
                tags.add(Tag.of(tag.getKey().toLowerCase(Locale.ROOT).replace('-', '_'), tag.getValue()));
            }
        }
        return Tags.of(tags);
    }

    private double sum(final String metricName, final Tags tags) {
        double sum = 0;
        for (final Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            final MetricName name = entry.getKey();
            if (name.group().equals(GROUP) && name.name().equals(metricName) && labels(name).equals(tags)) {
                sum += ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        return sum;
    }

    /** The newest accepted event time over every task, or NaN before the first. */
    public double newestEventTimeMs() {
        double newest = Double.NaN;
        for (final Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            if (entry.getKey().group().equals(GROUP) && entry.getKey().name().equals(NEWEST_EVENT)) {
                final double value = ((Number) entry.getValue().metricValue()).doubleValue();
                if (!Double.isNaN(value) && (Double.isNaN(newest) || value > newest)) {
                    newest = value;
                }
            }
        }
        return newest;
    }

    private double lagSeconds(final long referenceMs) {
        final double newest = newestEventTimeMs();
        return Double.isNaN(newest) ? Double.NaN : Math.max(0, referenceMs - newest) / 1000.0;
    }
}
