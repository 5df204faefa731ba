package io.curriculum.tools.local;

import io.curriculum.app.runtime.BrokerCertificate;
import io.curriculum.app.runtime.BrokerSecurity;
import io.curriculum.app.runtime.LocalBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) from Kafka's own server jar,
 * started in-process: what the application runs on when no cluster is given. Its data directory is formatted
 * on first use and kept, so topics, offsets and transactions survive a restart on the same directory.
 * Tuned for one node: every internal topic with replication factor 1, no initial rebalance delay, a small
 * log-cleaner buffer (the default takes 128 MiB of heap).
 *
 * <p>A data directory serves one broker at a time: {@link #start} takes an exclusive lock on
 * {@code <dataDir>/.detector.lock} before it formats or starts anything, and holds it until {@link #close()}, so a
 * second detector on the same directory is refused at once instead of starting a controller on data in use.
 * {@link #close()} is bounded by {@link #CLOSE_TIMEOUT}: a broker that does not stop in time is left to the
 * JVM's exit.
 *
 * <p>A data directory once started secured ({@link BrokerSecurity#scram}) holds its users' credentials and ACLs and is
 * marked so ({@code <dataDir>/.secured}): it is never started unsecured again, which would open every topic to anyone.
 */
public final class EmbeddedKafka implements LocalBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOCK_FILE = ".detector.lock";
    private static final String SECURED_MARK = ".secured";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String internalBootstrapServers;
    private final BrokerSecurity security;
    private final BrokerCertificate certificate;
    private final Path dataDir;
    private final DirectoryLock lock;

    private EmbeddedKafka(final KafkaRaftServer server, final String bootstrapServers, final String internalBootstrapServers,
                          final BrokerSecurity security, final BrokerCertificate certificate, final Path dataDir, final DirectoryLock lock) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.internalBootstrapServers = internalBootstrapServers;
        this.security = security;
        this.certificate = certificate;
        this.dataDir = dataDir;
        this.lock = lock;
    }

    /**
     * Starts a broker whose data lives in {@code dataDir} (created and formatted when new), listening on
     * 127.0.0.1:{@code port} ({@code 0}: any free port), and waits until it answers.
     *
     * @throws DataDirectoryInUseException when another broker of this application holds {@code dataDir}
     * @throws PortInUseException when {@code port} is taken
     */
    public static EmbeddedKafka start(final Path dataDir, final int port) {
        return start(dataDir, port, BrokerSecurity.none());
    }

    /**
     * As {@link #start(Path, int)}, secured as {@code security} says: with SCRAM, clients authenticate on 127.0.0.1:{@code port}
     * as one of its users (created or updated at every start) and may do what ACLs grant them; the broker's own principal
     * uses a second, internal listener.
     */
    public static EmbeddedKafka start(final Path dataDir, final int port, final BrokerSecurity security) {
        final DirectoryLock lock = DirectoryLock.take(dataDir.toAbsolutePath());
        try {
            return start(dataDir.toAbsolutePath(), port, security, lock);
        } catch (final RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    private static EmbeddedKafka start(final Path dataDir, final int port, final BrokerSecurity security, final DirectoryLock lock) {
        final Path mark = dataDir.resolve(SECURED_MARK);
        if (!security.secured() && Files.exists(mark)) {
            throw new DataDirectorySecuredException(dataDir);
        }
        if (security.secured()) {
            try {
                Files.writeString(mark, "started with SASL/SCRAM and ACLs: never start it unsecured\n", StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot mark the broker's data directory " + dataDir + " as secured: " + e.getMessage(), e);
            }
        }
        final Path logDir = dataDir.resolve("kafka-logs");
        final int brokerPort = port == 0 ? freePort() : requireFree(port);
        final int controllerPort = freePort();
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        final String internal;
        final BrokerCertificate certificate;
        if (security.secured()) {
            final int internalPort = freePort();
            internal = "127.0.0.1:" + internalPort;
            props.put("listeners", "CLIENT://127.0.0.1:" + brokerPort + ",INTERNAL://" + internal + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "CLIENT://127.0.0.1:" + brokerPort + ",INTERNAL://" + internal);
            props.put("inter.broker.listener.name", "INTERNAL");
            props.put("listener.security.protocol.map", "CLIENT:" + security.clientProtocol() + ",INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            certificate = security.tls() ? BrokerCertificate.ensure(dataDir.resolve("tls")) : null;
            security.configure(props, certificate);
        } else {
            internal = "127.0.0.1:" + brokerPort;
            certificate = null;
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        final KafkaConfig config = KafkaConfig.fromProps(props, false);
        try {
            Files.createDirectories(logDir);
            format(config, logDir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory " + logDir, e);
        }
        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        final EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort, internal, security, certificate, dataDir, lock);
        try {
            kafka.awaitReady();
            kafka.upsertScramUsers();
        } catch (final RuntimeException e) {
            kafka.shutdown();
            throw e;
        }
        LOG.info("embedded Kafka broker on {}, data in {}", kafka.bootstrapServers, logDir);
        return kafka;
    }

    /** Formats the directory unless it already is (then its cluster id and data are kept). */
    private static void format(final KafkaConfig config, final Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        final Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setUnstableFeatureVersionsEnabled(false)
                .setIgnoreFormatted(false)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.of(logDir.toString()));
        try {
            formatter.run();
        } catch (final Exception e) {
            throw new IllegalStateException("cannot format the broker's data directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(superUserClientConfig())) {
            final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (final ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the embedded broker did not become ready within " + READY_TIMEOUT, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded broker did not become ready within " + READY_TIMEOUT);
                }
                Thread.sleep(100);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the embedded broker started", e);
        }
    }

    /**
     * Creates or updates the SCRAM credentials of every user of a secured broker, and waits until the broker knows them
     * all (a client that authenticates before would be refused).
     */
    private void upsertScramUsers() {
        if (!security.secured()) {
            return;
        }
        final List<UserScramCredentialAlteration> upserts = security.scramUsers().entrySet().stream()
                .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user.getKey(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), user.getValue()))
                .toList();
        try (Admin admin = Admin.create(superUserClientConfig())) {
            admin.alterUserScramCredentials(upserts).all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (!admin.describeUserScramCredentials().all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS).keySet()
                    .containsAll(security.scramUsers().keySet())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded broker did not know its SCRAM users within " + READY_TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM users of the embedded broker: " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the SCRAM users were created", e);
        }
    }

    /** Where clients connect: the only listener, or with SCRAM the one clients authenticate on. */
    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Client settings, bootstrap.servers included, of a principal allowed everything: on an unsecured broker any client;
     * on a secured one the broker's own principal on its internal listener, whose password exists in this process only.
     * For what the process itself must do as an operator would (create topics and ACLs), never to hand to a detector.
     */
    @Override
    public Map<String, Object> superUserClientConfig() {
        final Map<String, Object> config = new HashMap<>(security.secured() ? security.brokerClientConfig() : Map.of());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers);
        return config;
    }

    /**
     * Client settings (without bootstrap.servers) that authenticate as {@code user} on this secured broker's client
     * listener: SASL_PLAINTEXT, or with TLS SASL_SSL trusting the broker's own certificate.
     */
    @Override
    public Map<String, Object> clientConfig(final String user, final String password) {
        if (!security.secured()) {
            throw new IllegalStateException("an unsecured broker takes no credentials");
        }
        return certificate == null ? BrokerSecurity.clientConfig(user, password) : BrokerSecurity.clientConfig(user, password, certificate);
    }

    /** With TLS the broker's certificate (its truststore for clients elsewhere), else empty. */
    @Override
    public Optional<BrokerCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker, waiting at most {@link #CLOSE_TIMEOUT}, and releases the data directory. */
    @Override
    public void close() {
        try {
            shutdown();
        } finally {
            lock.release();
        }
    }

    /**
     * Shuts the broker down on a thread of its own and waits for it at most {@link #CLOSE_TIMEOUT}; an interrupt of
     * the caller does not cut the wait short (a close is what an interrupted command does last).
     */
    private void shutdown() {
        final Thread stopping = new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "embedded-kafka-shutdown");
        stopping.setDaemon(true);
        stopping.start();
        final boolean interrupted = Thread.interrupted();
        final long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        try {
            while (stopping.isAlive() && System.nanoTime() < deadline) {
                try {
                    stopping.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (final InterruptedException e) {
                    // keep waiting: the bound still holds
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (stopping.isAlive()) {
            LOG.warn("the embedded Kafka broker (data in {}) did not shut down within {}; leaving it to the JVM's exit", dataDir, CLOSE_TIMEOUT);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static int requireFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (final IOException e) {
            throw new PortInUseException(port);
        }
    }

    /**
     * The exclusive lock on {@code <dataDir>/.detector.lock}, with this process's id written into the file so that
     * the next one can say who holds it. The broker's own lock comes too late: by then a controller has started
     * on the shared directory.
     */
    private static final class DirectoryLock {

        private final FileChannel channel;
        private final FileLock lock;

        private DirectoryLock(final FileChannel channel, final FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static DirectoryLock take(final Path dataDir) {
            final Path file = dataDir.resolve(LOCK_FILE);
            final FileChannel channel;
            try {
                Files.createDirectories(dataDir);
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create the broker's data directory " + dataDir + ": " + e.getMessage(), e);
            }
            try {
                final FileLock lock = tryLock(channel);
                if (lock == null) {
                    throw new DataDirectoryInUseException(dataDir, holder(file));
                }
                channel.truncate(0);
                channel.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"), 0);
                return new DirectoryLock(channel, lock);
            } catch (final IOException | RuntimeException e) {
                closeQuietly(channel);
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new UncheckedIOException("cannot lock the broker's data directory " + dataDir + ": " + e.getMessage(), (IOException) e);
            }
        }

        /** The lock, or null when another process, or another broker in this one, holds it. */
        private static FileLock tryLock(final FileChannel channel) throws IOException {
            try {
                return channel.tryLock();
            } catch (final OverlappingFileLockException e) {
                return null;
            }
        }

        /** The process id written by the holder, or "?" when it cannot be read. */
        private static String holder(final Path file) {
            try {
                final String pid = Files.readString(file, StandardCharsets.UTF_8).trim();
                return pid.isEmpty() ? "?" : pid;
            } catch (final IOException e) {
                return "?";
            }
        }

        void release() {
            try {
                lock.release();
            } catch (final IOException e) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }

        private static void closeQuietly(final FileChannel channel) {
            try {
                channel.close();
            } catch (final IOException e) {
                // nothing left to release
            }
        }
    }

    /** Another detector runs its broker on this data directory. */
    public static final class DataDirectoryInUseException extends StartRefusedException {

        private static final long serialVersionUID = 1L;

        DataDirectoryInUseException(final Path dataDir, final String pid) {
            super("data directory " + dataDir + " is in use by another detector (pid " + pid + "); stop it or pass another --data-dir");
        }
    }

    /** The data directory was started secured, and is asked to start without security. */
    public static final class DataDirectorySecuredException extends StartRefusedException {

        private static final long serialVersionUID = 1L;

        DataDirectorySecuredException(final Path dataDir) {
            super("data directory " + dataDir + " belongs to a secured broker (SASL/SCRAM and ACLs): start it secured again "
                    + "(run --secure), or pass another --data-dir");
        }
    }

    /** The port asked for is taken: most likely another broker, or another detector, already runs there. */
    public static final class PortInUseException extends StartRefusedException {

        private static final long serialVersionUID = 1L;

        PortInUseException(final int port) {
            super("port " + port + " on 127.0.0.1 is already in use (another Kafka broker or detector?): "
                    + "pass --kafka-port with a free port, or --bootstrap-servers to use the broker that runs there");
        }
    }

    /** What the launcher registers in {@code META-INF/services}: {@link #start(Path, int, BrokerSecurity)}. */
    public static final class Starter implements LocalBroker.Starter {

        @Override
        public LocalBroker start(final Path dataDir, final int port, final BrokerSecurity security) {
            return EmbeddedKafka.start(dataDir, port, security);
        }
    }
}
