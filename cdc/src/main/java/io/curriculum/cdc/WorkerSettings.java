package io.curriculum.cdc;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the in-process Connect worker runs.
 *
 * @param bootstrapServers   the Kafka cluster (the embedded broker or a given one)
 * @param clientProperties   Kafka client settings passed unchanged to the worker and to its connectors' producers,
 *                           consumers and admin clients ({@code security.protocol}, {@code sasl.*}, {@code ssl.*})
 * @param groupId            the Connect cluster's group id; its internal topics are {@code <groupId>-configs},
 *                           {@code -offsets} and {@code -status}, so a restarted worker resumes from its offsets
 * @param offsetFlushInterval how often source offsets are committed: a worker killed abruptly re-delivers at most
 *                           the rows captured since the last commit (the detector absorbs them)
 * @param environment        variables visible to {@code ${env:NAME}} in connector files on top of the process
 *                           environment; {@code CDC_KAFKA_BOOTSTRAP_SERVERS} defaults to {@code bootstrapServers},
 *                           {@code CDC_KAFKA_SECURITY_PROTOCOL}, {@code _SASL_MECHANISM}, {@code _SASL_JAAS_CONFIG} to
 *                           {@code clientProperties}' settings
 */
public record WorkerSettings(String bootstrapServers, Map<String, String> clientProperties, String groupId,
                             Duration offsetFlushInterval, Map<String, String> environment) {

    public static final String DEFAULT_GROUP_ID = "curriculum-cdc";
    public static final Duration DEFAULT_OFFSET_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final String BOOTSTRAP_VARIABLE = "CDC_KAFKA_BOOTSTRAP_SERVERS";
    /**
     * The variables through which the connector files give Debezium's own clients (its schema history's producer and
     * consumer) the cluster's security: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}. The
     * in-process worker sets them from {@link #clientProperties()} (PLAINTEXT without), unless {@link #environment()} does.
     */
    public static final String SECURITY_PROTOCOL_VARIABLE = "CDC_KAFKA_SECURITY_PROTOCOL";
    public static final String SASL_MECHANISM_VARIABLE = "CDC_KAFKA_SASL_MECHANISM";
    public static final String SASL_JAAS_CONFIG_VARIABLE = "CDC_KAFKA_SASL_JAAS_CONFIG";

    public WorkerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        clientProperties = Map.copyOf(clientProperties);
        Objects.requireNonNull(groupId, "groupId");
        if (offsetFlushInterval.isNegative() || offsetFlushInterval.isZero()) {
            throw new IllegalArgumentException("offsetFlushInterval must be positive, not " + offsetFlushInterval);
        }
        environment = Map.copyOf(environment);
    }

    /** The defaults for a cluster: group {@value #DEFAULT_GROUP_ID}, offsets committed every second. */
    public static WorkerSettings forCluster(final String bootstrapServers, final Map<String, String> clientProperties) {
        return new WorkerSettings(bootstrapServers, clientProperties, DEFAULT_GROUP_ID, DEFAULT_OFFSET_FLUSH_INTERVAL, Map.of());
    }

    public WorkerSettings withEnvironment(final Map<String, String> variables) {
        return new WorkerSettings(bootstrapServers, clientProperties, groupId, offsetFlushInterval, variables);
    }

    public WorkerSettings withOffsetFlushInterval(final Duration interval) {
        return new WorkerSettings(bootstrapServers, clientProperties, groupId, interval, environment);
    }

    public WorkerSettings withGroupId(final String group) {
        return new WorkerSettings(bootstrapServers, clientProperties, group, offsetFlushInterval, environment);
    }
}
