package io.curriculum.app.cli;

import io.curriculum.app.runtime.EmbeddedKafka;
import io.curriculum.app.runtime.KafkaUnavailableException;
import io.curriculum.detector.config.DetectorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The Kafka cluster a command works on: the one the options name, or an embedded broker started for it. Holds the
 * detector configuration read from the options (files, then environment) with the cluster's address in it. A given
 * cluster is probed first, so an unreachable one fails within {@link #PROBE_TIMEOUT}.
 */
final class Cluster implements AutoCloseable {

    /** How long a given cluster has to answer before a command gives up on it. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

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
        final Properties client = options.clientProperties();
        final Properties properties = options.properties(client);
        // the configuration first: a wrong value is refused before a broker is started for it
        DetectorConfig config = DetectorConfig.from(properties, environment);
        EmbeddedKafka embedded = null;
        if (options.embedded(properties, environment)) {
            out.println("starting an embedded Kafka broker (data in " + embeddedDataDir.toAbsolutePath() + ") ...");
            out.flush();
            embedded = options.startEmbedded(embeddedDataDir);
            out.println("embedded Kafka broker on " + embedded.bootstrapServers());
        }
        try {
            if (embedded != null) {
                config = config.withStreamsOverrides(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, embedded.bootstrapServers()));
            }
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.streamsProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
            if (embedded == null) {
                probe(client);
            }
            return new Cluster(config, client, embedded);
        } catch (final RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * Asks a given cluster for its nodes, bounded by {@link #PROBE_TIMEOUT}: a wrong address or a cluster that is down
     * fails here, with a message, instead of after a minute of retries deep in topic setup.
     */
    private static void probe(final Properties client) {
        final String servers = client.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        final Properties props = new Properties();
        props.putAll(client);
        final String timeout = String.valueOf(PROBE_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        final Admin admin = Admin.create(props);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis())).nodes()
                    .get(PROBE_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new KafkaUnavailableException("cannot reach " + servers + " within " + PROBE_TIMEOUT.toSeconds() + " s (" + cause
                    + "): is the cluster up, and are --bootstrap-servers and the security settings of --client-config right?", cause);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while reaching " + servers, e);
        } finally {
            admin.close(Duration.ofSeconds(1));
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
