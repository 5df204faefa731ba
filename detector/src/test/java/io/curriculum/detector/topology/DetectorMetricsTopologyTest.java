package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** The labelled metrics that dashboards and alert rules read: what is counted, under which labels, and nothing else. */
class DetectorMetricsTopologyTest {

    private static final String SCRAPER = "204.44.112.76";

    @Test
    void shouldCountAccessesByProgramAndRoleAlertsByRuleAndScopeAndDeadLettersByReason() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a cohort, a scraper's burst of 40 lessons, a page of an unknown cohort and two bad records
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            for (int i = 0; i < 40; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 7), "javascript-i/page-" + i, 341L, 29, SCRAPER);
            }
            d.access(100, "2019-03-03 22:53:00", "java-ii/arrays", 7L, 999, "10.0.0.1");
            d.rawLog("{\"id\":1}".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
            d.access(101, "2019-03-03 22:53:01", "java-ii/arrays", 7L, 999, "97.105.19.610");

            // then every access is counted under its program and role; the burst once per scope; each reject by reason
            assertThat(counter(d, "accesses-processed-total", Map.of("program", "Java web development", "role", "student"))).isEqualTo(40.0);
            assertThat(counter(d, "accesses-processed-total", Map.of("program", "unknown", "role", "unknown"))).isEqualTo(1.0);
            assertThat(counter(d, "alerts-emitted-total", Map.of("rule", "burst", "scope", "ip"))).isEqualTo(1.0);
            assertThat(counter(d, "alerts-emitted-total", Map.of("rule", "burst", "scope", "client"))).isEqualTo(1.0);
            assertThat(counter(d, "dead-lettered-total", Map.of("reason", "not-json"))).isEqualTo(1.0);
            assertThat(counter(d, "dead-lettered-total", Map.of("reason", "invalid-ip"))).isEqualTo(1.0);

            // and the newest accepted event time is exported, for the event-time lag
            assertThat(counter(d, "event-time-newest-ms", Map.of("task-id", "0_0")))
                    .isEqualTo((double) DetectorDriver.at("2019-03-03 22:53:00").toEpochMilli());

            // and one dead-letter counter, by reason; every metric says what it counts, none with Kafka's generic text
            assertThat(d.driver.metrics().keySet()).filteredOn(n -> n.group().equals(DetectorMetrics.GROUP))
                    .noneMatch(n -> n.name().startsWith("records-dead-lettered"))
                    .allSatisfy(n -> assertThat(n.description()).as(n.name()).hasSizeGreaterThan(30).doesNotContainIgnoringCase("occurrence"));

            // and no label carries an address, a user or a path
            assertThat(d.driver.metrics().keySet()).filteredOn(n -> n.group().equals(DetectorMetrics.GROUP))
                    .allSatisfy(n -> assertThat(n.tags().values()).noneMatch(v -> v.contains(SCRAPER) || v.contains("341") || v.contains("/")));
        }
    }

    private static double counter(final DetectorDriver d, final String name, final Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (final Map.Entry<MetricName, ? extends Metric> entry : d.driver.metrics().entrySet()) {
            final MetricName metric = entry.getKey();
            if (metric.group().equals(DetectorMetrics.GROUP) && metric.name().equals(name) && metric.tags().entrySet().containsAll(labels.entrySet())) {
                sum += ((Number) entry.getValue().metricValue()).doubleValue();
                found = true;
            }
        }
        assertThat(found).as("metric " + name + labels).isTrue();
        return sum;
    }
}
