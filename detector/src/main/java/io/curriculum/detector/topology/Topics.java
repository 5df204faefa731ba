package io.curriculum.detector.topology;

import io.curriculum.detector.config.TopicNames;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.serde.AlertSerde;
import io.curriculum.detector.serde.JsonSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of every topic the detector reads or writes, shared by the topology, tools and tests.
 * Inputs and outputs are kept forever ({@code retention.ms=-1}) because replayed history carries event
 * timestamps years old, which time-based retention would delete within minutes. The rules topics are compacted, keyed by
 * rule id, values {@link io.curriculum.detector.rules.RuleRecord} JSON; the simulation topic holds
 * {@link MachineSpeedAlert} and {@link BandAlert} JSON alike, written with their own topics' serdes and read back with
 * {@link AlertSerde} (told apart by {@code rule}).
 */
public record Topics(
        Topic<byte[], byte[]> logs,
        Topic<byte[], byte[]> cohorts,
        Topic<String, MachineSpeedAlert> suspiciousIp,
        Topic<String, BandAlert> lessonBand,
        Topic<String, InactiveStudentAlert> inactiveStudent,
        Topic<byte[], byte[]> deadLetter,
        Topic<String, Cohort> cohortTable,
        Topic<String, byte[]> rules,
        Topic<String, byte[]> rulesInForce,
        Topic<String, AlertRecord> simulated) {

    private static final Map<String, String> KEEP = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
    private static final Map<String, String> COMPACT = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    public static Topics of(final TopicNames names) {
        return new Topics(
                new Topic<>(names.logs(), Serdes.ByteArray(), Serdes.ByteArray(), KEEP),
                new Topic<>(names.cohorts(), Serdes.ByteArray(), Serdes.ByteArray(), KEEP),
                new Topic<>(names.suspiciousIp(), Serdes.String(), new JsonSerde<>(MachineSpeedAlert.class), KEEP),
                new Topic<>(names.lessonBand(), Serdes.String(), new JsonSerde<>(BandAlert.class), KEEP),
                new Topic<>(names.inactiveStudent(), Serdes.String(), new JsonSerde<>(InactiveStudentAlert.class), KEEP),
                new Topic<>(names.deadLetter(), Serdes.ByteArray(), Serdes.ByteArray(), KEEP),
                new Topic<>(names.cohortTable(), Serdes.String(), JsonSerde.remembering(Cohort.class, 4096), COMPACT),
                new Topic<>(names.rules(), Serdes.String(), Serdes.ByteArray(), COMPACT),
                new Topic<>(names.rulesInForce(), Serdes.String(), Serdes.ByteArray(), COMPACT),
                new Topic<>(names.simulated(), Serdes.String(), new AlertSerde(), KEEP));
    }

    /** Every topic, for whoever creates them before the application starts. */
    public List<Topic<?, ?>> all() {
        return List.of(logs, cohorts, suspiciousIp, lessonBand, inactiveStudent, deadLetter, cohortTable, rules, rulesInForce, simulated);
    }
}
