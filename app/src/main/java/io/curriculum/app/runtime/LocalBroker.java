package io.curriculum.app.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A single-node Kafka broker this process starts for itself when no cluster is named: the embedded default. This module
 * carries no Kafka server: the launcher of every command (module {@code tools}, {@code bin/detector}) provides one,
 * found through {@link ServiceLoader}; the production image, without it, runs on a cluster of its own only.
 */
public interface LocalBroker extends AutoCloseable {

    /** How long {@link #close()} may wait for the broker to shut down. */
    Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Where clients connect. */
    String bootstrapServers();

    /**
     * Client settings, bootstrap.servers included, of a principal allowed everything (on a secured broker its own, whose
     * password exists in this process only): for creating topics and ACLs, never to hand to a detector.
     */
    Map<String, Object> superUserClientConfig();

    /**
     * Client settings (without bootstrap.servers) that authenticate as {@code user} on a secured broker's client listener:
     * SASL_PLAINTEXT, or with TLS SASL_SSL trusting the broker's own certificate.
     *
     * @throws IllegalStateException when the broker is not secured
     */
    Map<String, Object> clientConfig(String user, String password);

    /** With TLS the broker's certificate (its truststore for clients elsewhere), else empty. */
    Optional<BrokerCertificate> certificate();

    /** Stops the broker, waiting at most {@link #CLOSE_TIMEOUT}, and releases its data directory. */
    @Override
    void close();

    /** Starts local brokers: what a launcher registers in {@code META-INF/services}. */
    interface Starter {

        /**
         * Starts a broker whose data lives in {@code dataDir} (created when new, kept across restarts), listening on
         * 127.0.0.1:{@code port} ({@code 0}: any free port), secured as {@code security} says, and waits until it answers.
         *
         * @throws StartRefusedException when the port or the data directory is taken, or the directory belongs to a
         *                               broker secured otherwise
         */
        LocalBroker start(Path dataDir, int port, BrokerSecurity security);
    }

    /** The starter on the class path, or empty when this process has none (the production module alone). */
    static Optional<Starter> starter() {
        return ServiceLoader.load(Starter.class).findFirst();
    }

    /** A broker that cannot start as asked, for a reason the user can fix; the message says how. */
    class StartRefusedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public StartRefusedException(final String message) {
            super(message);
        }
    }
}
