package io.curriculum.app.cli;

import io.curriculum.app.runtime.BrokerSecurity;
import io.curriculum.app.runtime.KafkaUnavailableException;
import io.curriculum.app.runtime.LocalBroker;
import io.curriculum.detector.config.DetectorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 *
 * <p>Secured ({@link SecurePrincipals}), the embedded broker authenticates clients with SASL/SCRAM and authorises them by
 * ACL, and the command's clients and detector authenticate as {@code User:detector}; only {@link #adminProperties()},
 * for creating topics and ACLs, act as the broker's own principal.
 */
public final class Cluster implements AutoCloseable {

    /** How long a given cluster has to answer before a command gives up on it. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
    private static final String ENV_PREFIX = "DETECTOR_KAFKA_";

    private final DetectorConfig config;
    private final Properties clientProperties;
    private final LocalBroker embedded;
    private final boolean secured;

    private Cluster(final DetectorConfig config, final Properties clientProperties, final LocalBroker embedded, final boolean secured) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.embedded = embedded;
        this.secured = secured;
    }

    /** Reads the configuration and, when it names no cluster, starts an embedded broker with its data in {@code embeddedDataDir}. */
    public static Cluster open(final KafkaOptions options, final Path embeddedDataDir, final PrintWriter out) {
        return open(options, embeddedDataDir, out, null);
    }

    /**
     * As {@link #open(KafkaOptions, Path, PrintWriter)}; with {@code secure} not null the embedded broker is secured for
     * those principals, and a cluster named by the options is refused (its security is the client settings' business).
     */
    public static Cluster open(final KafkaOptions options, final Path embeddedDataDir, final PrintWriter out, final SecurePrincipals secure) {
        return open(options, embeddedDataDir, out, secure, false);
    }

    /** As {@link #open(KafkaOptions, Path, PrintWriter, SecurePrincipals)}; with {@code tls} the client listener is SASL_SSL. */
    public static Cluster open(final KafkaOptions options, final Path embeddedDataDir, final PrintWriter out, final SecurePrincipals secure,
                               final boolean tls) {
        final Map<String, String> environment = System.getenv();
        final Properties client = options.clientProperties();
        final Properties properties = options.properties(client);
        client.putAll(clientSettingsOf(environment));
        // the configuration first: a wrong value is refused before a broker is started for it
        DetectorConfig config = DetectorConfig.from(properties, environment);
        final boolean embeddedBroker = options.embedded(properties, environment);
        if (secure != null && !embeddedBroker) {
            throw new UsageException("--secure secures the embedded broker; a cluster of your own is secured by its own settings: "
                    + "pass them in --client-config FILE (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*) without --secure");
        }
        LocalBroker embedded = null;
        if (embeddedBroker) {
            final LocalBroker.Starter starter = options.localBroker();
            out.println("starting an embedded Kafka broker (data in " + embeddedDataDir.toAbsolutePath() + ")"
                    + (secure == null ? "" : ", secured: SASL/SCRAM-SHA-256" + (tls ? " over TLS" : "") + " and ACLs") + " ...");
            out.flush();
            final BrokerSecurity security = secure == null ? BrokerSecurity.none() : BrokerSecurity.scram(secure.passwords());
            embedded = options.startEmbedded(starter, embeddedDataDir, tls ? security.withTls() : security);
            embedded.certificate().ifPresent(certificate -> out.println("TLS on the client listener; clients trust "
                    + certificate.truststore() + " (PKCS12, its password in " + certificate.truststore().resolveSibling("truststore.password") + ")"));
            out.println("embedded Kafka broker on " + embedded.bootstrapServers());
        }
        try {
            if (embedded != null) {
                final Map<String, Object> overrides = new HashMap<>();
                overrides.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, embedded.bootstrapServers());
                if (secure != null) {
                    final Map<String, Object> detector = embedded.clientConfig(SecurePrincipals.DETECTOR, secure.password(SecurePrincipals.DETECTOR));
                    overrides.putAll(detector);
                    client.putAll(detector);
                }
                config = config.withStreamsOverrides(overrides);
            }
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.streamsProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
            if (embedded == null) {
                probe(client);
            }
            return new Cluster(config, client, embedded, secure != null);
        } catch (final RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * The Kafka client settings among the {@code DETECTOR_KAFKA_*} variables ({@code DETECTOR_KAFKA_SECURITY_PROTOCOL} →
     * {@code security.protocol}, as {@code DetectorConfig} maps them for Kafka Streams): those an admin client knows
     * (security, SASL, TLS, addresses, timeouts), so that they reach every client of the process and not the detector's
     * alone — the admin client that creates topics, the API's consumers, the Connect worker. Streams-only settings stay
     * with the detector.
     */
    static Map<String, String> clientSettingsOf(final Map<String, String> environment) {
        final Map<String, String> settings = new HashMap<>();
        final Set<String> known = AdminClientConfig.configNames();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                final String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (known.contains(key)) {
                    settings.put(key, value);
                }
            }
        });
        return settings;
    }

    /**
     * Asks a given cluster for its nodes, bounded by {@link #PROBE_TIMEOUT}: a wrong address or a cluster that is down
     * fails here, with a message, instead of after a minute of retries deep in topic setup.
     */
    static void probe(final Properties client) {
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

    public DetectorConfig config() {
        return config;
    }

    /** bootstrap.servers plus the --client-config settings: what the command's own clients use. */
    public Properties clientProperties() {
        final Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    /**
     * Settings of a client that may create topics and ACLs: on a secured embedded broker its own principal (a super user
     * whose password exists in this process only), else {@link #clientProperties()}.
     */
    Properties adminProperties() {
        final Properties admin = clientProperties();
        if (secured) {
            admin.putAll(embedded.superUserClientConfig());
        }
        return admin;
    }

    /** Client settings (without bootstrap.servers) of {@code user} on the secured embedded broker. */
    Map<String, Object> principalClientConfig(final String user, final String password) {
        return embedded.clientConfig(user, password);
    }

    boolean isTls() {
        return embedded != null && embedded.certificate().isPresent();
    }

    boolean isSecured() {
        return secured;
    }

    public String bootstrapServers() {
        return clientProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
