package io.curriculum.app.cli;

import io.curriculum.app.runtime.BrokerSecurity;
import io.curriculum.app.runtime.LocalBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster is, shared by every command that needs one. With no cluster given (no
 * {@code --bootstrap-servers}, no {@code bootstrap.servers} in the files, no {@code DETECTOR_KAFKA_BOOTSTRAP_SERVERS})
 * the command starts an embedded single-node broker: the embedded default.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster to use. Without it (and without bootstrap.servers in --config/--client-config or "
                    + "DETECTOR_KAFKA_BOOTSTRAP_SERVERS) an embedded single-node broker is started in this process.")
    String bootstrapServers;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...), passed to every client unchanged.")
    Path clientConfig;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Detector properties: detector.* keys (see the README) and Kafka Streams settings.")
    Path detectorConfig;

    @Option(names = "--kafka-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "Port of the embedded broker on 127.0.0.1 (0: any free port). Default: 9092 for run, any free port otherwise.")
    int kafkaPort;

    /**
     * The detector properties file, then {@code client} (the client properties, as {@link #clientProperties()} read
     * them) on top: what {@code DetectorConfig.from} reads.
     */
    public Properties properties(final Properties client) {
        final Properties merged = new Properties();
        if (detectorConfig != null) {
            merged.putAll(load(detectorConfig, "--config"));
        }
        merged.putAll(client);
        if (bootstrapServers != null) {
            merged.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        return merged;
    }

    /** The client settings alone (for producers, consumers and the admin client the commands open). */
    public Properties clientProperties() {
        final Properties client = new Properties();
        if (clientConfig != null) {
            client.putAll(load(clientConfig, "--client-config"));
        }
        return client;
    }

    /** True when no cluster is named anywhere: the command runs on the embedded broker. */
    boolean embedded(final Properties properties, final Map<String, String> environment) {
        return !properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                && !environment.containsKey("DETECTOR_KAFKA_BOOTSTRAP_SERVERS");
    }

    /**
     * The launcher's {@link LocalBroker.Starter}; without one (the production module alone, which carries no Kafka server)
     * a {@link UsageException} that tells the user to name a cluster.
     */
    LocalBroker.Starter localBroker() {
        return LocalBroker.starter().orElseThrow(() -> new UsageException(
                "no Kafka cluster given, and this launcher has no embedded broker: pass --bootstrap-servers HOST:PORT (or "
                        + "bootstrap.servers in --config/--client-config, or DETECTOR_KAFKA_BOOTSTRAP_SERVERS), or use bin/detector, "
                        + "whose launcher starts one"));
    }

    /** Starts the embedded broker on {@code --kafka-port}; a port or data directory in use is a {@link UsageException}. */
    LocalBroker startEmbedded(final LocalBroker.Starter starter, final Path dataDir, final BrokerSecurity security) {
        try {
            return starter.start(dataDir, kafkaPort, security);
        } catch (final LocalBroker.StartRefusedException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Reads a properties file an option names; a missing or unreadable one is a {@link UsageException} naming the option. */
    public static Properties load(final Path file, final String option) {
        final Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (final NoSuchFileException e) {
            throw new UsageException(option + " " + file + ": no such file");
        } catch (final IOException e) {
            throw new UsageException(option + " " + file + ": cannot read it: " + e.getMessage());
        }
        return props;
    }
}
