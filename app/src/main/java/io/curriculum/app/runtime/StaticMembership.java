package io.curriculum.app.runtime;

import io.curriculum.detector.config.DetectorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Static group membership for a detector instance: a {@code group.instance.id} that stays the same across restarts
 * of one instance. After a {@code kill -9} the old member cannot leave the group; without an instance id the
 * restarted one would wait until the group coordinator expires it ({@code session.timeout.ms}, 45 s by default)
 * before it gets its tasks back. With one, the coordinator hands the old member's place to the new one at once.
 *
 * <p>The id belongs to the state directory, not to the host: it is kept in {@code <state.dir>/<application.id>.instance-id}
 * (created on first use), so two instances on one host, each with its own state directory, never share it, and an
 * instance keeps it however often it restarts. A configured {@code group.instance.id} (also under the
 * {@code main.consumer.} or {@code consumer.} prefix) is left as it is.
 */
public final class StaticMembership {

    private static final List<String> CONFIGURED_KEYS = List.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            StreamsConfig.MAIN_CONSUMER_PREFIX + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            StreamsConfig.CONSUMER_PREFIX + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);

    private StaticMembership() {
    }

    /** {@code config} with the instance id of its state directory, unless it names one already. */
    public static DetectorConfig forStateDirectory(final DetectorConfig config) {
        if (CONFIGURED_KEYS.stream().anyMatch(config.streamsProperties()::containsKey)) {
            return config;
        }
        final Object stateDir = config.streamsProperties().get(StreamsConfig.STATE_DIR_CONFIG);
        if (stateDir == null) {
            return config;
        }
        final String id = instanceId(Path.of(stateDir.toString()), config.applicationId());
        return config.withStreamsOverrides(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    }

    /** The id kept in {@code stateDir}, written there first if there is none. */
    static String instanceId(final Path stateDir, final String applicationId) {
        final Path file = stateDir.resolve(applicationId + ".instance-id");
        try {
            if (Files.exists(file)) {
                final String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            final String id = applicationId + "-" + UUID.randomUUID().toString().substring(0, 8);
            Files.createDirectories(stateDir);
            final Path written = Files.writeString(stateDir.resolve(file.getFileName() + ".tmp"), id + "\n", StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot keep the group instance id in " + file + ": " + e.getMessage(), e);
        }
    }
}
