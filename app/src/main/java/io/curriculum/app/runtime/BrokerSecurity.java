package io.curriculum.app.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How the embedded broker authenticates and authorises: either not at all (the default: one PLAINTEXT listener on
 * loopback, every client allowed everything) or SASL/SCRAM-SHA-256 for clients with Kafka's {@code StandardAuthorizer},
 * where a principal may do only what an ACL grants it.
 *
 * <p>The SCRAM users and their passwords come from a file ({@link #scramUsersFrom}: one {@code name=password} per line,
 * Java properties syntax), never from code. The broker's own principal ({@code User:broker}, the only super user) talks
 * to its controller with SASL/PLAIN and a password drawn at random at every start and held in memory only, so nobody
 * outside the process can use it.
 */
public final class BrokerSecurity {

    /** The mechanism clients authenticate with. */
    public static final String MECHANISM = "SCRAM-SHA-256";
    static final String BROKER_USER = "broker";

    private final Map<String, String> scramUsers;
    private final String brokerPassword;
    private final boolean tls;

    private BrokerSecurity(final Map<String, String> scramUsers, final String brokerPassword, final boolean tls) {
        this.scramUsers = scramUsers == null ? null : Map.copyOf(scramUsers);
        this.brokerPassword = brokerPassword;
        this.tls = tls;
    }

    private BrokerSecurity(final Map<String, String> scramUsers) {
        this(scramUsers, scramUsers == null ? null : randomPassword(), false);
    }

    /**
     * The same, with TLS on the client listener (SASL_SSL): the broker's certificate is self-signed, made at the first
     * start into its data directory ({@link BrokerCertificate}); the internal and controller listeners stay on loopback
     * without it.
     */
    public BrokerSecurity withTls() {
        if (!secured()) {
            throw new IllegalStateException("TLS comes with SCRAM: secure the broker first");
        }
        return new BrokerSecurity(scramUsers, brokerPassword, true);
    }

    public boolean tls() {
        return tls;
    }

    /** The security protocol of the client listener. */
    public String clientProtocol() {
        return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
    }

    /** No authentication, no authorisation. */
    public static BrokerSecurity none() {
        return new BrokerSecurity(null);
    }

    /** SCRAM with these users (name → password) and the StandardAuthorizer. */
    public static BrokerSecurity scram(final Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a secured broker needs at least one SCRAM user");
        }
        users.keySet().forEach(BrokerSecurity::requirePlainName);
        return new BrokerSecurity(new TreeMap<>(users));
    }

    /** SCRAM with the users of {@code file}: one {@code name=password} per line. */
    public static BrokerSecurity scramUsersFrom(final Path file) {
        final Properties lines = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            lines.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the SCRAM users file " + file + ": " + e.getMessage(), e);
        }
        final Map<String, String> users = new LinkedHashMap<>();
        lines.stringPropertyNames().forEach(name -> users.put(name, lines.getProperty(name)));
        return scram(users);
    }

    public boolean secured() {
        return scramUsers != null;
    }

    public Map<String, String> scramUsers() {
        return scramUsers == null ? Map.of() : scramUsers;
    }

    /** The client settings that authenticate as {@code user} on a secured broker (add bootstrap.servers). */
    public static Map<String, Object> clientConfig(final String user, final String password) {
        final Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + quoted(user) + "\" password=\"" + quoted(password) + "\";");
        return config;
    }

    /**
     * The client settings that authenticate as {@code user} over TLS, trusting the broker's {@code certificate} (add
     * bootstrap.servers).
     */
    public static Map<String, Object> clientConfig(final String user, final String password, final BrokerCertificate certificate) {
        final Map<String, Object> config = clientConfig(user, password);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificate.truststore().toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificate.truststorePassword());
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return config;
    }

    /**
     * The broker settings of this mode, for a broker whose listeners are named CLIENT, INTERNAL and CONTROLLER; with TLS,
     * {@code certificate} is the client listener's (else null).
     */
    public void configure(final Properties props, final BrokerCertificate certificate) {
        if (tls) {
            props.put("listener.name.client.ssl.keystore.location", certificate.keystore().toString());
            props.put("listener.name.client.ssl.keystore.password", certificate.keystorePassword());
            props.put("listener.name.client.ssl.keystore.type", "PKCS12");
        }
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + BROKER_USER);
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.client.sasl.enabled.mechanisms", MECHANISM);
        props.put("listener.name.client.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        final String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\";";
        for (final String listener : new String[] {"internal", "controller"}) {
            props.put("listener.name." + listener + ".sasl.enabled.mechanisms", "PLAIN");
            props.put("listener.name." + listener + ".plain.sasl.jaas.config", plain);
        }
    }

    /** Client settings of the broker's own principal, on its internal listener: a super user, for this process only. */
    public Map<String, Object> brokerClientConfig() {
        final Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + BROKER_USER + "\" password=\"" + brokerPassword + "\";");
        return config;
    }

    /** 24 random letters and digits. */
    public static String randomPassword() {
        final String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        final SecureRandom random = new SecureRandom();
        final StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static void requirePlainName(final String name) {
        if (!name.matches("[A-Za-z0-9._-]+") || name.equals(BROKER_USER)) {
            throw new IllegalArgumentException("SCRAM user name '" + name + "' must be letters, digits, '.', '_' or '-', and not '"
                    + BROKER_USER + "'");
        }
    }

    private static String quoted(final String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
