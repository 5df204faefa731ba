package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.config.DetectorConfig;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.TopologyException;
import org.junit.jupiter.api.Test;

/** Point 8: every store and internal topic is named, so state survives changes of the topology. */
class TopologyNamingTest {

    private static DetectorConfig config(final String... keyValues) {
        final Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return DetectorConfig.from(props, Map.of());
    }

    private static Set<String> names(final TopologyDescription description, final String kind) {
        final Set<String> names = new TreeSet<>();
        for (final TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (final TopologyDescription.Node node : sub.nodes()) {
                collect(node, kind, names);
            }
        }
        for (final TopologyDescription.GlobalStore global : description.globalStores()) {
            names.addAll("stores".equals(kind) ? Set.of(global.processor().stores().toArray(new String[0])) : Set.of());
            if ("sources".equals(kind)) {
                names.addAll(global.source().topicSet());
            }
        }
        return names;
    }

    private static void collect(final TopologyDescription.Node node, final String kind, final Set<String> names) {
        if ("stores".equals(kind) && node instanceof TopologyDescription.Processor processor) {
            names.addAll(processor.stores());
        } else if ("sources".equals(kind) && node instanceof TopologyDescription.Source source) {
            names.addAll(source.topicSet());
        } else if ("sinks".equals(kind) && node instanceof TopologyDescription.Sink sink) {
            names.add(sink.topic());
        } else if ("nodes".equals(kind)) {
            names.add(node.name());
        }
    }

    @Test
    void shouldPinTheNamesOfEveryStoreAndTopic() {
        // given the default configuration (logs keyed by row id, as Debezium writes them)
        final TopologyDescription description = DetectorTopology.build(DetectorConfig.defaults()).describe();

        // then
        assertThat(names(description, "stores")).containsExactly(
                "account-activity-store", "client-activity-store", "cohort-lesson-store", "cohort-table-store", "ip-activity-store",
                "lesson-stats-store", "log-dedupe-store", "log-held-store", "program-band-store", "rules-in-force-store", "user-activity-store", "view-clock-store");
        assertThat(names(description, "sources")).containsExactly(
                "access-by-ip-repartition", "access-by-user-repartition", "curriculum-detector-cohort-table", "curriculum-detector-rules-in-force",
                "curriculum.curriculum_logs.cohorts", "curriculum.curriculum_logs.logs", "curriculum.detector.rules", "program-lesson-hits-repartition");
        assertThat(names(description, "sinks")).containsExactly(
                "access-by-ip-repartition", "access-by-user-repartition", "curriculum-detector-cohort-table", "curriculum-detector-rules-in-force",
                "curriculum.alerts.inactive-student", "curriculum.alerts.lesson-band", "curriculum.alerts.simulated", "curriculum.alerts.suspicious-ip",
                "curriculum.dead-letter", "program-lesson-hits-repartition");
        assertThat(names(description, "nodes")).contains("logs-source", "decode-logs", "key-by-ip", "enrich-with-cohort",
                "machine-speed", "lesson-hits-only", "key-by-program", "lesson-bands", "log-to-dead-letter", "log-dead-letter-sink", "cohort-to-dead-letter",
                "cohort-dead-letter-sink", "key-by-user", "analyst-views",
                "inactive-student-sink", "machine-speed-per-user", "suspicious-ip-per-user-sink",
                "rules-source", "validate-rules", "rules-accepted", "rule-by-id", "rules-in-force-sink", "rule-to-dead-letter", "rule-dead-letter-sink",
                "suspicious-ip-", "suspicious-ip-live", "suspicious-ip-sink", "suspicious-ip-simulated", "suspicious-ip-simulated-sink",
                "suspicious-ip-per-user-simulated-sink", "lesson-band-live", "lesson-band-sink", "lesson-band-simulated-sink");
        assertThat(description.globalStores()).extracting(global -> global.source().name() + " -> " + global.processor().stores())
                .containsExactlyInAnyOrder("cohort-table-source-source -> [cohort-table-store]", "rules-in-force-source-source -> [rules-in-force-store]");
    }

    @Test
    void shouldNameTheLessonHitsTopicAsStreamsNamesTheRepartitionForAnApplicationId() {
        // given
        final TopologyDescription description = DetectorTopology.build(config()).describe();

        // when
        final String topic = DetectorTopology.lessonHitsTopic("replay-a");

        // then it is the repartition sink's name with the application id in front
        assertThat(topic).isEqualTo("replay-a-program-lesson-hits-repartition");
        assertThat(names(description, "sinks")).contains(topic.substring("replay-a-".length()));
    }

    @Test
    void shouldSkipTheByIpRepartitionWhenTheInputIsKeyedByIp() {
        final TopologyDescription description = DetectorTopology.build(config("detector.input.keyed-by-ip", "true")).describe();
        assertThat(names(description, "sinks")).doesNotContain("access-by-ip-repartition")
                .contains("program-lesson-hits-repartition", "access-by-user-repartition");
        // logs, cohorts, rules, and the by-lesson and by-user stages
        assertThat(description.subtopologies()).hasSize(5);
    }

    @Test
    void shouldRunTheLogsAsOneTaskWithoutRepartitionTopicsWhenRepartitionIsNever() {
        final TopologyDescription description = DetectorTopology.build(config("detector.repartition", "never")).describe();
        assertThat(names(description, "sinks")).noneMatch(sink -> sink.endsWith("-repartition"));
        assertThat(names(description, "stores")).contains("ip-activity-store", "program-band-store", "user-activity-store");
        // the logs with every store of theirs, and the cohorts and the rules on their own
        assertThat(description.subtopologies()).hasSize(3);
    }

    @Test
    void shouldRefuseUnnamedStoresAndInternalTopics() {
        // given the builder the detector uses
        final StreamsBuilder builder = DetectorTopology.newBuilder(DetectorConfig.defaults());

        // when an operator leaves its store and repartition topic to generated names
        builder.<String, String>stream("any").groupBy((k, v) -> v).count();

        // then building fails, because ensure.explicit.internal.resource.naming reached the builder
        assertThatThrownBy(builder::build).isInstanceOf(TopologyException.class).hasMessageContaining("state store(s) has not been named");
    }
}
