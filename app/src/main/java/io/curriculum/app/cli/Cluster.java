package io.curriculum.app.cli;

import io.curriculum.app.runtime.EmbeddedKafka;
import io.curriculum.detector.config.DetectorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka cluster a command works on: the one the options name, or an embedded broker started for it. Holds the
 * detector configuration read from the options (files, then environment) with the cluster's address in it.
 */
final class Cluster implements AutoCloseable {

    private final DetectorConfig config;
    private final Properties clientProperties;
    private final EmbeddedKafka embedded;

    private Cluster(final DetectorConfig config, final Properties clientProperties, final EmbeddedKafka embedded) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.embedded = embedded;
    }

    /** Reads the configuration and, when it names no cluster, starts an embedded broker with its data in {@code embeddedDataDir}. */
    static Cluster open(final KafkaOptions options, final Path embeddedDataDir, final PrintWriter out) {
        final Map<String, String> environment = System.getenv();
        final Properties properties = options.properties();
        final Properties client = options.clientProperties();
        EmbeddedKafka embedded = null;
        if (options.embedded(properties, environment)) {
            out.println("starting an embedded Kafka broker (data in " + embeddedDataDir.toAbsolutePath() + ") ...");
            out.flush();
            embedded = options.startEmbedded(embeddedDataDir);
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, embedded.bootstrapServers());
            out.println("embedded Kafka broker on " + embedded.bootstrapServers());
        }
        try {
            final DetectorConfig config = DetectorConfig.from(properties, environment);
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.streamsProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
            return new Cluster(config, client, embedded);
        } catch (final RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    DetectorConfig config() {
        return config;
    }

    /** bootstrap.servers plus the --client-config settings: what the command's own clients use. */
    Properties clientProperties() {
        final Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    String bootstrapServers() {
        return clientProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
