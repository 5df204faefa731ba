package io.curriculum.detector.topology;

import static io.curriculum.detector.testing.ChangeEvents.bytes;
import static io.curriculum.detector.testing.ChangeEvents.cohortRow;
import static io.curriculum.detector.testing.ChangeEvents.envelope;
import static io.curriculum.detector.testing.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.testing.ChangeEvents;
import io.curriculum.detector.testing.ChangeEvents.Mode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Points 1–3: every Debezium form in, event time from the row, and enrichment that follows cohort changes. */
class InputAndEnrichmentTopologyTest {

    private static final String IP = "204.44.112.76";
    private static final Instant WALL_CLOCK = Instant.parse("2026-11-23T12:00:00Z");

    enum Form {
        ENVELOPE_ADAPTIVE(row -> envelope("c", null, row), Mode.ADAPTIVE),
        SNAPSHOT_READ_CONNECT(row -> envelope("r", null, row), Mode.CONNECT),
        ENVELOPE_WITH_SCHEMA_CONNECT(row -> ChangeEvents.withLogSchema(envelope("c", null, row), Mode.CONNECT, false), Mode.CONNECT),
        ENVELOPE_WITH_SCHEMA_ISOSTRING(row -> ChangeEvents.withLogSchema(envelope("c", null, row), Mode.ISOSTRING, false), Mode.ISOSTRING),
        FLATTENED_ADAPTIVE(row -> row, Mode.ADAPTIVE),
        FLATTENED_WITH_SCHEMA_ADAPTIVE(row -> ChangeEvents.withLogSchema(row, Mode.ADAPTIVE, true), Mode.ADAPTIVE),
        FLATTENED_ISOSTRING(row -> row.put("__op", "c"), Mode.ISOSTRING);

        final Function<ObjectNode, ObjectNode> wrap;
        final Mode mode;

        Form(final Function<ObjectNode, ObjectNode> wrap, final Mode mode) {
            this.wrap = wrap;
            this.mode = mode;
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void shouldDetectTheSameBurstInEveryDebeziumFormAtTheRowsEventTime(final Form form) {
        // schemaless input is read in the configured time.precision.mode
        final String mode = form.mode == Mode.CONNECT ? "connect" : form.mode == Mode.ISOSTRING ? "isostring" : "adaptive_time_microseconds";
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.time-precision-mode", mode))) {
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            // given a burst whose Kafka timestamps are today's wall clock, years after the rows' own date and time
            for (int i = 0; i < 30; i++) {
                final ObjectNode row = ChangeEvents.logRow(1 + i, "2019-03-03T22:52:0" + i / 10, "lesson/page-" + i, 341L, 29, IP, form.mode);
                d.logs.pipeInput(key(1 + i), bytes(form.wrap.apply(row)), WALL_CLOCK.plusMillis(i));
            }
            // then the alert is placed at the rows' campus-local time, 22:52 in Chicago = 04:52Z
            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.alerts()).extracting(MachineSpeedAlert::alertId)
                    .containsExactlyInAnyOrder("burst|ip|204.44.112.76|2019-03-04T04:52:00Z", "burst|client|204.44.112.76|341|2019-03-04T04:52:00Z");
        }
    }

    @Test
    void shouldReadRowTimesInTheConfiguredCampusZone() {
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.campus-zone", "Europe/Berlin"))) {
            for (int i = 0; i < 30; i++) {
                d.access(1 + i, "2019-03-03 22:52:0" + i / 10, "lesson/page-" + i, 341L, 29, IP);
            }
            assertThat(d.alerts()).extracting(MachineSpeedAlert::windowStart).containsOnly(Instant.parse("2019-03-03T21:52:00Z"));
        }
    }

    @Test
    void shouldReadAndWriteTheConfiguredTopicNames() {
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.topic.prefix", "prod", "detector.topic.suspicious-ip", "security.suspects"))) {
            assertThat(d.config.topics().logs()).isEqualTo("prod.curriculum_logs.logs");
            final var logs = d.driver.createInputTopic("prod.curriculum_logs.logs",
                    org.apache.kafka.common.serialization.Serdes.ByteArray().serializer(), org.apache.kafka.common.serialization.Serdes.ByteArray().serializer());
            for (int i = 0; i < 30; i++) {
                logs.pipeInput(key(1 + i), bytes(ChangeEvents.created(ChangeEvents.logRow(1 + i, "2019-03-03T22:52:0" + i / 10, "lesson/page-" + i, 341L, 29, IP))));
            }
            final var alerts = d.driver.createOutputTopic("security.suspects", org.apache.kafka.common.serialization.Serdes.String().deserializer(),
                    org.apache.kafka.common.serialization.Serdes.String().deserializer());
            assertThat(alerts.readKeyValuesToList()).hasSize(2);
        }
    }

    @Test
    void shouldUseACohortsNewEndDateForLaterAccesses() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given Zion, enrolled until June 2019
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            burst(d, 1, "2019-03-03 22:52:00");
            assertThat(d.alerts()).extracting(MachineSpeedAlert::roles).containsOnly(List.of("student"));

            // when the cohort's end date moves to February (an UPDATE)
            d.cohorts.pipeInput(key(29), bytes(envelope("u", cohortRow(29, "Zion", "2019-01-22", "2019-06-04", 2),
                    cohortRow(29, "Zion", "2019-01-22", "2019-02-01", 2))));
            burst(d, 100, "2019-03-05 22:52:00");

            // then the first episode closes as a student's, and the new one opens as an alumnus's
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).filteredOn(a -> a.status().equals("closed")).extracting(MachineSpeedAlert::roles).containsExactly(List.of("student"), List.of("student"));
            assertThat(alerts).filteredOn(a -> a.status().equals("open")).extracting(MachineSpeedAlert::roles).containsExactly(List.of("alumnus"), List.of("alumnus"));
        }
    }

    @Test
    void shouldTreatAccessesOfADeletedCohortAsUnknown() {
        try (DetectorDriver d = new DetectorDriver()) {
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            d.cohort(30, "Ada", "2019-01-22", "2019-06-04", 3);
            // when one cohort is deleted by op d and the other by a tombstone
            d.cohorts.pipeInput(key(29), bytes(envelope("d", cohortRow(29, "Zion", "2019-01-22", "2019-06-04", 2), null)));
            d.cohorts.pipeInput(key(30), (byte[]) null);
            burst(d, 1, "2019-03-03 22:52:00");
            for (int i = 0; i < 30; i++) {
                d.access(500 + i, "2019-03-03 22:52:0" + i / 10, "lesson/page-" + i, 342L, 30, "8.8.8.8");
            }
            // then both are unknown, and nothing was dead-lettered
            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.alerts()).hasSize(4).allSatisfy(a -> {
                assertThat(a.roles()).containsExactly("unknown");
                assertThat(a.cohorts()).singleElement().satisfies(c -> assertThat(c.name()).isNull());
            });
        }
    }

    private static void burst(final DetectorDriver d, final long firstId, final String start) {
        for (int i = 0; i < 30; i++) {
            d.access(firstId + i, DetectorDriver.plusSeconds(start, i / 10), "lesson/page-" + i, 341L, 29, IP);
        }
    }
}
