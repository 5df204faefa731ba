package io.curriculum.detector.topology;

import static io.curriculum.detector.testing.ChangeEvents.bytes;
import static io.curriculum.detector.testing.ChangeEvents.created;
import static io.curriculum.detector.testing.ChangeEvents.envelope;
import static io.curriculum.detector.testing.ChangeEvents.key;
import static io.curriculum.detector.testing.ChangeEvents.logRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.views.UserActivity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Point 7: every input record is processed or dead-lettered with its reason; re-delivered rows count once. */
class DeadLetterAndDuplicateTopologyTest {

    private static final String IP = "204.44.112.76";

    static List<Arguments> badLogRecords() {
        final ObjectNode good = logRow(7, "2019-03-03T22:52:05", "javascript-i/functions", 341L, 29, IP, io.curriculum.detector.testing.ChangeEvents.Mode.ADAPTIVE);
        return List.of(
                Arguments.of("not json", "this is not json".getBytes(StandardCharsets.UTF_8), "not-json"),
                Arguments.of("missing ip", bytes(created(good.deepCopy().without("ip"))), "missing-field"),
                Arguments.of("ill-typed id", bytes(created(good.deepCopy().put("id", "seven"))), "invalid-field"),
                Arguments.of("unparseable ip", bytes(created(good.deepCopy().put("ip", "999.1.1.1"))), "invalid-ip"),
                Arguments.of("host name as ip", bytes(created(good.deepCopy().put("ip", "example.com"))), "invalid-ip"),
                Arguments.of("unparseable date", bytes(created(good.deepCopy().put("date", "2019-13-45"))), "invalid-date"),
                Arguments.of("absurdly long path", bytes(created(good.deepCopy().put("path", "a/".repeat(5000)))), "path-too-long"),
                Arguments.of("unknown op", bytes(envelope("t", null, good.deepCopy())), "unknown-op"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLogRecords")
    void shouldDeadLetterBadLogRecordWithOriginalBytesAndReasonAndKeepRunning(final String name, final byte[] value, final String reason) {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a bad record followed by a scraper burst
            d.rawLog(key(7), value);
            scraperBurst(d, 100, "2019-03-03 22:52:00");

            // when / then: the bad record is dead-lettered, byte for byte, with its reason and coordinates
            final List<DetectorDriver.DeadLetter> letters = d.deadLetters();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).value()).isEqualTo(new String(value, StandardCharsets.UTF_8));
            assertThat(letters.get(0).reason()).isEqualTo(reason);
            assertThat(letters.get(0).headers()).containsEntry("dlq.topic", "curriculum.curriculum_logs.logs")
                    .containsEntry("dlq.partition", "0").containsEntry("dlq.offset", "0")
                    .containsKey("dlq.detail");
            // and the application kept running: the burst after it is still flagged
            assertThat(d.alerts()).extracting(MachineSpeedAlert::scope).contains("ip", "client");
            assertThat(metric(d, "dead-lettered-total")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldDeadLetterBadCohortRecords() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given
            d.cohorts.pipeInput(key(5), "{\"op\":\"c\",\"after\":{\"id\":5}}".getBytes(StandardCharsets.UTF_8));
            d.cohorts.pipeInput((byte[]) null, (byte[]) null);

            // when
            final List<DetectorDriver.DeadLetter> letters = d.deadLetters();

            // then
            assertThat(letters).extracting(DetectorDriver.DeadLetter::reason).containsExactly("missing-field", "invalid-key");
            assertThat(letters.get(0).headers()).containsEntry("dlq.topic", "curriculum.curriculum_logs.cohorts");
            assertThat(letters.get(0).headers().get("dlq.detail")).contains("name");
        }
    }

    @Test
    void shouldCountReDeliveredRowsOnce() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a 40-page burst, every row delivered twice (Debezium after a connector restart)
            for (int i = 0; i < 40; i++) {
                final String time = String.format("2019-03-03 22:52:%02d", i / 6);
                d.access(100 + i, time, "lesson/page-" + i, 341L, 29, IP);
                d.access(100 + i, time, "lesson/page-" + i, 341L, 29, IP);
            }
            // when the episode closes (a later event moves the watermark past the gap, then the sweep runs)
            d.access(900, "2019-03-03 23:10:00", "lesson/other", 7L, 29, "10.0.0.1");
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);

            // then the closing evidence counts 40 requests, not 80, and 40 duplicates were absorbed
            final List<MachineSpeedAlert> closed = d.alerts().stream().filter(a -> a.status().equals("closed")).toList();
            assertThat(closed).extracting(MachineSpeedAlert::requests).containsOnly(40L);
            assertThat(closed).hasSize(2);
            assertThat(metric(d, "duplicates-absorbed-total")).isEqualTo(40.0);
            assertThat(d.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldIgnoreUpdatesDeletesAndTombstonesOfLogRowsWithoutDeadLettering() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given changes of rows that are not new page views
            final ObjectNode row = logRow(7, "2019-03-03T22:52:05", "javascript-i/functions", 341L, 29, IP, io.curriculum.detector.testing.ChangeEvents.Mode.ADAPTIVE);
            d.rawLog(key(7), bytes(envelope("u", row, row)));
            d.rawLog(key(7), bytes(envelope("d", row, null)));
            d.rawLog(key(7), null);

            // then nothing is dead-lettered, nothing is alerted, and each is counted as ignored
            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.alerts()).isEmpty();
            assertThat(metric(d, "log-changes-ignored-total")).isEqualTo(3.0);
        }
    }

    @Test
    void shouldCountRowsOlderThanTheGraceInTheViewsInsteadOfDeadLetteringThem() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given the newest event at 12:00, from another address
            d.access(1, "2019-03-04 12:00:00", "javascript-i/functions", 2L, 29, "10.0.0.2");
            // when a row 5 minutes older arrives (within the 10-minute grace) and one 30 minutes older
            d.access(2, "2019-03-04 11:55:00", "javascript-i/arrays", 1L, 29, "10.0.0.1");
            d.access(3, "2019-03-04 11:30:00", "javascript-i/loops", 1L, 29, "10.0.0.1");

            // then nothing is dead-lettered: both rows count in the user's view, the older one first
            assertThat(d.deadLetters()).isEmpty();
            final UserActivity user = UserActivity.decode(d.view(ViewStores.USERS, "1"));
            assertThat(user.accesses()).isEqualTo(2);
            assertThat(user.firstAccess()).isEqualTo(DetectorDriver.at("2019-03-04 11:30:00").toEpochMilli());
        }
    }

    /** 40 distinct pages by one user in 6 seconds. */
    static void scraperBurst(final DetectorDriver d, final long firstId, final String start) {
        for (int i = 0; i < 40; i++) {
            d.access(firstId + i, DetectorDriver.plusSeconds(start, i / 7), "lesson/page-" + i, 341L, 29, IP);
        }
    }

    static double metric(final DetectorDriver d, final String name) {
        for (final Map.Entry<MetricName, ? extends Metric> entry : d.driver.metrics().entrySet()) {
            if (entry.getKey().name().equals(name) && entry.getKey().group().equals("stream-" + DetectorMetrics.SCOPE + "-metrics")) {
                return ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
