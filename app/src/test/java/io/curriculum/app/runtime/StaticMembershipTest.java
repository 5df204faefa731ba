package io.curriculum.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.DetectorConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticMembershipTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepOneInstanceIdPerStateDirectoryAcrossRestarts() {
        // given two state directories
        final DetectorConfig first = config(dir.resolve("a"), Map.of());
        final DetectorConfig second = config(dir.resolve("b"), Map.of());

        // when each is given its instance id twice, as by two starts
        final Object id = StaticMembership.forStateDirectory(first).streamsProperties().get("group.instance.id");
        final Object again = StaticMembership.forStateDirectory(first).streamsProperties().get("group.instance.id");
        final Object other = StaticMembership.forStateDirectory(second).streamsProperties().get("group.instance.id");

        // then a directory keeps its id, and two directories have two
        assertThat(id).isEqualTo(again).asString().startsWith("curriculum-detector-");
        assertThat(other).isNotNull().isNotEqualTo(id);
        assertThat(dir.resolve("a").resolve("curriculum-detector.instance-id")).content().contains(id.toString());
    }

    @Test
    void shouldLeaveAConfiguredInstanceIdAsItIs() {
        // given
        final DetectorConfig configured = config(dir, Map.of("main.consumer.group.instance.id", "mine"));

        // when
        final DetectorConfig result = StaticMembership.forStateDirectory(configured);

        // then
        assertThat(result.streamsProperties()).doesNotContainKey("group.instance.id").containsEntry("main.consumer.group.instance.id", "mine");
    }

    private static DetectorConfig config(final Path stateDir, final Map<String, String> extra) {
        final Properties props = new Properties();
        props.put("state.dir", stateDir.toString());
        props.putAll(extra);
        return DetectorConfig.from(props, Map.of());
    }
}
