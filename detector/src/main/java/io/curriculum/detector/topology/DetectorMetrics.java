package io.curriculum.detector.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The detector's own metrics, registered as Kafka Streams custom metrics in the group {@value #GROUP}, so
 * whatever exports the Streams metrics (JMX, a metrics reporter, the application's Prometheus endpoint) exports
 * them too:
 * <ul>
 *   <li>{@link #counter}: {@code <name>-total}, without or with labels (program, role, rule, reason: bounded sets,
 *   never an IP, a user or a path), one per client, shared by every task that counts it. Its description says what
 *   one count is: it becomes the Prometheus HELP text;</li>
 *   <li>{@link #newestEventTime}: {@code event-time-newest-ms}, the newest event time a task has accepted.</li>
 * </ul>
 */
final class DetectorMetrics {

    static final String SCOPE = "curriculum-detector";
    static final String GROUP = "stream-" + SCOPE + "-metrics";

    private DetectorMetrics() {
    }

    /** A cumulative count {@code <name>-total} without labels, e.g. {@code duplicates-absorbed-total}. */
    static Sensor counter(final StreamsMetrics metrics, final String name, final String description) {
        return counter(metrics, name, description, Map.of());
    }

    /** A cumulative count {@code <name>-total} with these labels, e.g. {@code accesses-processed-total{program,role}}. */
    static Sensor counter(final StreamsMetrics metrics, final String name, final String description, final Map<String, String> labels) {
        final Map<String, String> sorted = new TreeMap<>(labels);
        final Sensor sensor = metrics.addSensor(GROUP + "." + name + sorted, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name + "-total", GROUP, description, new LinkedHashMap<>(sorted)), new CumulativeCount());
        return sensor;
    }

    /** The newest event time (epoch ms) accepted by the task {@code taskId}: the detector's event-time watermark. */
    static Sensor newestEventTime(final StreamsMetrics metrics, final String taskId) {
        final Sensor sensor = metrics.addSensor(GROUP + ".event-time-newest." + taskId, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName("event-time-newest-ms", GROUP, "the newest event time accepted, epoch milliseconds",
                Map.of("task-id", taskId)), new Value());
        return sensor;
    }
}
