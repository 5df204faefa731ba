package io.curriculum.detector.topology;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The detector's own counters, registered as Kafka Streams custom metrics (group
 * {@code stream-curriculum-detector-metrics}, each as {@code <name>-total} and {@code <name>-rate}), so
 * whatever exports the Streams metrics exports them too.
 */
final class DetectorMetrics {

    static final String SCOPE = "curriculum-detector";
    static final String ENTITY = "detector";

    private DetectorMetrics() {
    }

    static Sensor sensor(final StreamsMetrics metrics, final String name) {
        return metrics.addRateTotalSensor(SCOPE, ENTITY, name, Sensor.RecordingLevel.INFO);
    }
}
