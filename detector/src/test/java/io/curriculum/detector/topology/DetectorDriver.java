package io.curriculum.detector.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.testing.ChangeEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The detector topology in a {@link TopologyTestDriver}, with helpers to write rows and read alerts. Unless built to
 * hold rows for clock skew, it marks the end of the input after every row that {@link #access} or {@link #rawLog}
 * writes, so a row that jumps ahead is processed at once (tests move event time on with single rows); the intake's
 * hold is tested with a driver that does not.
 */
final class DetectorDriver implements AutoCloseable {

    static final ZoneId CAMPUS = ZoneId.of("America/Chicago");

    final DetectorConfig config;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> logs;
    final TestInputTopic<byte[], byte[]> cohorts;
    final TestOutputTopic<String, MachineSpeedAlert> suspiciousIp;
    final TestOutputTopic<String, BandAlert> lessonBand;
    final TestOutputTopic<String, InactiveStudentAlert> inactiveStudent;
    final TestOutputTopic<byte[], byte[]> deadLetter;
    final TestInputTopic<String, String> rules;
    final TestOutputTopic<String, String> simulated;
    private final Path stateDir;
    private final boolean endOfInputAfterEveryRow;

    DetectorDriver() {
        this(Map.of());
    }

    DetectorDriver(final Map<String, String> settings) {
        this(settings, true);
    }

    /** A driver whose intake holds rows far ahead of the stream time until others agree (nothing marks the end of the input). */
    static DetectorDriver holdingForClockSkew() {
        return new DetectorDriver(Map.of(), false);
    }

    private DetectorDriver(final Map<String, String> settings, final boolean endOfInputAfterEveryRow) {
        this.endOfInputAfterEveryRow = endOfInputAfterEveryRow;
        final Properties props = new Properties();
        props.putAll(settings);
        try {
            stateDir = Files.createTempDirectory("detector-ttd");
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config = DetectorConfig.from(props, Map.of());
        final Topics topics = Topics.of(config.topics());
        driver = new TopologyTestDriver(DetectorTopology.build(config), config.streamsConfig(), Instant.parse("2026-01-01T00:00:00Z"));
        logs = driver.createInputTopic(topics.logs().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        cohorts = driver.createInputTopic(topics.cohorts().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        suspiciousIp = driver.createOutputTopic(topics.suspiciousIp().name(), Serdes.String().deserializer(), topics.suspiciousIp().valueSerde().deserializer());
        lessonBand = driver.createOutputTopic(topics.lessonBand().name(), Serdes.String().deserializer(), topics.lessonBand().valueSerde().deserializer());
        inactiveStudent = driver.createOutputTopic(topics.inactiveStudent().name(), Serdes.String().deserializer(),
                topics.inactiveStudent().valueSerde().deserializer());
        deadLetter = driver.createOutputTopic(topics.deadLetter().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        rules = driver.createInputTopic(topics.rules().name(), Serdes.String().serializer(), Serdes.String().serializer());
        simulated = driver.createOutputTopic(topics.simulated().name(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    /** Publishes a rule record (JSON, or null: back to the configuration's values) on the rules topic, as {@code rules publish} does. */
    void rule(final String id, final String json) {
        rules.pipeInput(id, json, Instant.parse("2026-01-01T00:00:00Z"));
    }

    static Instant at(final String localDateTime) {
        return LocalDateTime.parse(localDateTime.replace(' ', 'T')).atZone(CAMPUS).toInstant();
    }

    private static final java.time.format.DateTimeFormatter LOCAL = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** {@code "2019-03-03 22:52:00"} plus some seconds, in the same form. */
    static String plusSeconds(final String localDateTime, final long seconds) {
        return LocalDateTime.parse(localDateTime.replace(' ', 'T')).plusSeconds(seconds).format(LOCAL);
    }

    void cohort(final int id, final String name, final String start, final String end, final int program) {
        cohorts.pipeInput(ChangeEvents.key(id), ChangeEvents.bytes(ChangeEvents.envelope("r", null, ChangeEvents.cohortRow(id, name, start, end, program))),
                Instant.parse("2016-01-01T00:00:00Z"));
    }

    /** A created logs row; the Kafka timestamp is the event time, as a replay writes it. */
    void access(final long id, final String localDateTime, final String path, final Long userId, final Integer cohortId, final String ip) {
        final ObjectNode row = ChangeEvents.logRow(id, localDateTime.replace(' ', 'T'), path, userId, cohortId, ip, ChangeEvents.Mode.ADAPTIVE);
        logs.pipeInput(ChangeEvents.key(id), ChangeEvents.bytes(ChangeEvents.created(row)), at(localDateTime));
        if (endOfInputAfterEveryRow) {
            endOfInput();
        }
    }

    void rawLog(final byte[] key, final byte[] value) {
        logs.pipeInput(key, value, Instant.parse("2019-01-01T00:00:00Z"));
        if (endOfInputAfterEveryRow) {
            endOfInput();
        }
    }

    /** The record a replay writes after its last row: the intake releases every row it holds. */
    void endOfInput() {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(LogIntakeProcessor.END_OF_INPUT, new byte[0]);
        logs.pipeInput(new TestRecord<>(null, null, headers, Instant.parse("2016-01-01T00:00:00Z")));
    }

    List<MachineSpeedAlert> alerts() {
        return suspiciousIp.readValuesToList();
    }

    List<BandAlert> bandAlerts() {
        return lessonBand.readValuesToList();
    }

    List<InactiveStudentAlert> inactiveAlerts() {
        return inactiveStudent.readValuesToList();
    }

    /** The value of {@code key} in one of the views' stores ({@link ViewStores}), null when absent. */
    byte[] view(final String store, final String key) {
        return this.<String>store(store).get(key);
    }

    /** A store of the topology as interactive queries see it: as of the last commit (the driver commits after every record). */
    @SuppressWarnings("unchecked")
    <K> ReadOnlyKeyValueStore<K, byte[]> store(final String name) {
        return (ReadOnlyKeyValueStore<K, byte[]>) driver.getAllStateStores().get(name);
    }

    /** Each dead letter as its original value (UTF-8) and its headers. */
    List<DeadLetter> deadLetters() {
        final List<DeadLetter> letters = new ArrayList<>();
        for (final TestRecord<byte[], byte[]> record : deadLetter.readRecordsToList()) {
            final Map<String, String> headers = new java.util.HashMap<>();
            for (final Header header : record.headers()) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            letters.add(new DeadLetter(record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8), headers));
        }
        return letters;
    }

    void advanceWallClock(final Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        driver.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final java.io.IOException ignored) {
            // the temporary directory is best-effort cleanup
        }
    }

    record DeadLetter(String value, Map<String, String> headers) {

        String reason() {
            return headers.get("dlq.reason");
        }
    }
}
