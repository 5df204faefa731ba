package io.curriculum.detector.model;

import java.time.Instant;

/**
 * Any alert the detector writes: a {@link MachineSpeedAlert} (suspicious-IP topic), a {@link BandAlert} (lesson-band topic)
 * or an {@link InactiveStudentAlert} (inactive-student topic). Whoever reads alerts back (replay, report, API) holds them as
 * these records, read with the registry's serdes ({@link io.curriculum.detector.topology.Topics}) or, from an alerts file, with
 * {@link io.curriculum.detector.serde.AlertSerde}; the {@code rule} tells the three apart.
 */
public sealed interface AlertRecord permits MachineSpeedAlert, BandAlert, InactiveStudentAlert {

    /** The deterministic id, the record key of the alert's topic. */
    String alertId();

    /** {@code burst}, {@code crawl}, {@code band-spike}, {@code band-drop} or {@code inactive-student}. */
    String rule();

    /** Event time of the record that raised the alert. */
    Instant detectedAt();

    /**
     * The record type of an alert of {@code rule}.
     *
     * @throws IllegalArgumentException for a rule no alert has
     */
    static Class<? extends AlertRecord> typeOf(final String rule) {
        return switch (rule == null ? "" : rule) {
            case "burst", "crawl" -> MachineSpeedAlert.class;
            case "band-spike", "band-drop" -> BandAlert.class;
            case InactiveStudentAlert.RULE -> InactiveStudentAlert.class;
            default -> throw new IllegalArgumentException("'" + rule + "' is no alert rule (burst, crawl, band-spike, band-drop, inactive-student)");
        };
    }
}
