package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.serde.JsonSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule records on the rules topic tune the running topology: in force from the next record, validated, simulated apart. */
class RulesTopologyTest {

    private static final String IP = "204.44.112.76";
    private static final String START = "2019-03-04 10:00:00";
    /** One burst scale of 26 distinct pages: the 26th page of {@link #pages} crosses it. */
    private static final String TWENTY_SIX = """
            {"version": 2, "settings": {"detector.burst.min-distinct-pages": 26, "detector.burst.scales": ""}}""";

    /** {@code count} distinct pages from one user on {@link #IP}, a page every half second from {@code first}. */
    private static void pages(final DetectorDriver d, final int first, final int count) {
        for (int i = first; i < first + count; i++) {
            d.access(1000 + i, DetectorDriver.plusSeconds(START, i / 2), "lesson/page-" + i, 341L, 29, IP);
        }
    }

    @Test
    void shouldApplyALowerThresholdFromTheNextRecord() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given 25 distinct pages in 13 s: under the default 30 of the 20 s scale
            pages(d, 0, 25);
            assertThat(d.alerts()).isEmpty();

            // when the threshold drops to 26 and the 26th page comes
            d.rule("machine-speed", TWENTY_SIX);
            pages(d, 25, 1);

            // then that page opens the alert, naming the rule version and the new threshold
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).extracting(MachineSpeedAlert::scope).containsExactlyInAnyOrder("ip", "client");
            assertThat(alerts).allSatisfy(alert -> {
                assertThat(alert.ruleId()).isEqualTo("machine-speed");
                assertThat(alert.ruleVersion()).isEqualTo(2);
                assertThat(alert.simulated()).isFalse();
                assertThat(alert.threshold().minDistinctPages()).isEqualTo(26);
                assertThat(alert.distinctPages()).isEqualTo(26);
            });
        }
    }

    @Test
    void shouldNameVersionZeroOfTheRuleWhenNoRecordWasPublished() {
        try (DetectorDriver d = new DetectorDriver()) {
            // when a burst crosses the configuration's thresholds
            pages(d, 0, 40);

            // then
            assertThat(d.alerts()).isNotEmpty().allSatisfy(alert -> {
                assertThat(alert.ruleId()).isEqualTo("machine-speed");
                assertThat(alert.ruleVersion()).isZero();
            });
        }
    }

    @Test
    void shouldGoBackToTheConfigurationsValuesOnATombstone() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a raised threshold, then deleted
            d.rule("machine-speed", "{\"version\": 5, \"settings\": {\"detector.burst.min-distinct-pages\": 500, \"detector.burst.scales\": \"\"}}");
            d.rule("machine-speed", null);

            // when a burst crosses the configuration's thresholds
            pages(d, 0, 40);

            // then it is flagged by version 0
            assertThat(d.alerts()).isNotEmpty().allSatisfy(alert -> assertThat(alert.ruleVersion()).isZero());
            assertThat(d.deadLetters()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad JSON | {\"version\": 3, \"settings\": { | not JSON",
            "unknown key | {\"version\": 3, \"settings\": {\"detector.burst.min-pages\": 5}} | unknown key 'detector.burst.min-pages'",
            "out of range | {\"version\": 3, \"settings\": {\"detector.burst.min-distinct-pages\": -5}} | detector.burst.min-distinct-pages",
            "no version | {\"settings\": {\"detector.burst.min-distinct-pages\": 5}} | version",
            "key of another rule | {\"version\": 3, \"settings\": {\"detector.band.k\": 2}} | unknown key 'detector.band.k' for rule machine-speed"})
    void shouldRefuseAnInvalidRuleToTheDeadLetterTopicAndKeepTheVersionInForce(final String name, final String json, final String detail) {
        try (DetectorDriver d = new DetectorDriver()) {
            // given version 2 in force
            d.rule("machine-speed", TWENTY_SIX);

            // when an invalid record follows
            d.rule("machine-speed", json);
            pages(d, 0, 26);

            // then it is dead-lettered with its reason and counted
            final List<DetectorDriver.DeadLetter> letters = d.deadLetters();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).reason()).isEqualTo("invalid-rule");
            assertThat(letters.get(0).value()).isEqualTo(json);
            assertThat(letters.get(0).headers()).containsEntry("dlq.topic", "curriculum.detector.rules");
            assertThat(letters.get(0).headers().get("dlq.detail")).contains("machine-speed").contains(detail);
            assertThat(metric(d, "dead-lettered-total", "invalid-rule")).isEqualTo(1.0);
            // and version 2 stays in force
            assertThat(d.alerts()).isNotEmpty().allSatisfy(alert -> {
                assertThat(alert.ruleVersion()).isEqualTo(2);
                assertThat(alert.threshold().minDistinctPages()).isEqualTo(26);
            });
        }
    }

    @Test
    void shouldRefuseARecordOfAnUnknownRule() {
        try (DetectorDriver d = new DetectorDriver()) {
            // when
            d.rule("machine-sped", "{\"version\": 1}");

            // then
            assertThat(d.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.reason()).isEqualTo("invalid-rule");
                assertThat(letter.headers().get("dlq.detail")).contains("unknown rule id 'machine-sped'");
            });
        }
    }

    @Test
    void shouldWriteTheAlertsOfASimulatedRuleToTheSimulationTopicOnly() throws Exception {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a candidate threshold, simulated
            d.rule("machine-speed", "{\"version\": 7, \"simulate\": true, \"settings\": {\"detector.burst.min-distinct-pages\": 26, \"detector.burst.scales\": \"\"}}");

            // when a burst crosses it
            pages(d, 0, 40);

            // then no alert reaches the live topic
            assertThat(d.alerts()).isEmpty();
            // and the simulation topic has them, marked, with the version
            final List<String> simulated = d.simulated.readValuesToList();
            assertThat(simulated).isNotEmpty();
            for (final String json : simulated) {
                final MachineSpeedAlert alert = JsonSerde.MAPPER.readValue(json, MachineSpeedAlert.class);
                assertThat(alert.simulated()).isTrue();
                assertThat(alert.ruleVersion()).isEqualTo(7);
                assertThat(alert.threshold().minDistinctPages()).isEqualTo(26);
            }
            assertThat(metric(d, "alerts-simulated-total", null)).isEqualTo(2.0);
        }
    }

    @Test
    void shouldNotFlagAnAddressTheAllowlistRuleAddsFromTheNextRecord() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given
            d.rule("allowlist", "{\"version\": 1, \"settings\": {\"detector.allowlist\": \"204.44.112.0/24\"}}");

            // when
            pages(d, 0, 40);

            // then
            assertThat(d.alerts()).isEmpty();
            assertThat(d.deadLetters()).isEmpty();
        }
    }

    /** The sum of a detector metric over its labels; with {@code reason}, only that reason's. */
    private static double metric(final DetectorDriver d, final String name, final String reason) {
        double sum = 0;
        boolean found = false;
        for (final Map.Entry<MetricName, ? extends Metric> entry : d.driver.metrics().entrySet()) {
            final MetricName metric = entry.getKey();
            if (metric.name().equals(name) && metric.group().equals(DetectorMetrics.GROUP)
                    && (reason == null || reason.equals(metric.tags().get("reason")))) {
                sum += ((Number) entry.getValue().metricValue()).doubleValue();
                found = true;
            }
        }
        assertThat(found).as("metric " + name).isTrue();
        return sum;
    }
}
