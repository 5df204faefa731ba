package io.curriculum.app.cli;

import io.curriculum.app.api.AnalystApi;
import io.curriculum.app.metrics.MetricsServer;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.StaticMembership;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.cdc.ConnectWorker;
import io.curriculum.cdc.ConnectorFile;
import io.curriculum.cdc.WorkerSettings;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.TopicNames;
import io.curriculum.detector.topology.DetectorTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: the live detector, until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
                "Runs the detector on the live topics until interrupted (Ctrl-C, SIGTERM).",
                "",
                "It reads Debezium change events of curriculum_logs.logs and .cohorts and writes machine-speed alerts, "
                        + "lesson-band alerts and dead letters.",
                "",
                "With --bootstrap-servers (or bootstrap.servers in --config/--client-config) it joins that cluster; without, it "
                        + "starts an embedded single-node Kafka broker whose data stays in --data-dir, so a restart resumes where it "
                        + "stopped (bin/detector's launcher; the production jar alone needs a cluster). Missing topics are created. On SIGINT/SIGTERM it closes within 30 s, committing its work.",
                "",
                "With --cdc FILE (a connector file of connectors/, e.g. connectors/mysql.json) it also runs a Kafka Connect worker "
                        + "in this process on the same cluster and registers the connector through the worker's REST API, as production "
                        + "does: rows written to the database reach the detector within moments. The file's $${env:NAME} references "
                        + "are read from the environment (CDC_DB_HOST, CDC_DB_PORT, CDC_DB_USER, CDC_DB_PASSWORD; "
                        + "CDC_KAFKA_BOOTSTRAP_SERVERS is the cluster's address unless set).",
                "",
                "With --secure the embedded broker authenticates every client with SASL/SCRAM-SHA-256 and lets it do only what "
                        + "an ACL grants (Kafka's StandardAuthorizer): the detector connects as User:detector; User:reviewer may read "
                        + "the suspicious-IP alerts and nothing else; User:source, when given a password, may write the two input "
                        + "topics; an unauthenticated client is refused. The passwords come from --scram-users FILE (name=password "
                        + "lines) or else from DETECTOR_SCRAM_PASSWORD, REVIEWER_SCRAM_PASSWORD and SOURCE_SCRAM_PASSWORD; the first "
                        + "two are required. With --cdc the Connect worker and its connectors authenticate as User:connect "
                        + "(CONNECT_SCRAM_PASSWORD, or a connect= line), which may write the input topics, its connectors' schema "
                        + "history topics and the topics and group of --cdc-group. A data directory once secured is never started "
                        + "unsecured. --tls makes the client listener SASL_SSL with a self-signed certificate kept in the data "
                        + "directory. Against a cluster of your own, "
                        + "give its SASL/TLS settings in --client-config instead."})
public final class RunCommand implements Callable<Integer> {

    /** Where a Debezium connector file names its schema history topic. */
    private static final String SCHEMA_HISTORY_TOPIC = "schema.history.internal.kafka.topic";

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Mixin
    private MetricsOptions metrics;

    @Mixin
    private ApiOptions api;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "detector-data",
            description = "Where the embedded broker (DIR/kafka) and, unless --state-dir is given, the detector's state (DIR/streams) live. Default: ${DEFAULT-VALUE}.")
    private Path dataDir;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state directory (overrides state.dir). Default: <data-dir>/streams.")
    private Path stateDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of topics this command creates (existing topics are left as they are). Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Option(names = "--cdc", paramLabel = "FILE",
            description = "Connector file (JSON as PUT to Connect's REST API) to run in an in-process Kafka Connect worker beside the detector. Repeatable.")
    private List<Path> cdcFiles = new ArrayList<>();

    @Option(names = "--secure",
            description = "Secure the embedded broker: SASL/SCRAM-SHA-256, ACLs, the detector as User:detector (see above).")
    private boolean secure;

    @Option(names = "--tls",
            description = "With --secure: the embedded broker's client listener speaks SASL_SSL, with a self-signed certificate made "
                    + "at its first start into <data-dir>/kafka/tls (clients elsewhere trust its truststore.p12); not with --cdc yet.")
    private boolean tls;

    @Option(names = "--scram-users", paramLabel = "FILE",
            description = "With --secure: the principals' passwords, one name=password per line (detector, reviewer, source, connect); "
                    + "a name not in it takes its password from DETECTOR_SCRAM_PASSWORD, REVIEWER_SCRAM_PASSWORD, SOURCE_SCRAM_PASSWORD "
                    + "or CONNECT_SCRAM_PASSWORD.")
    private Path scramUsers;

    @Option(names = "--cdc-group", paramLabel = "ID", defaultValue = WorkerSettings.DEFAULT_GROUP_ID,
            description = "Group id of the in-process Connect worker; its configs, offsets and statuses live in topics <ID>-configs, -offsets, -status. Default: ${DEFAULT-VALUE}.")
    private String cdcGroup;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (partitions < 1) {
            throw new UsageException("--partitions must be at least 1, not " + partitions);
        }
        if (scramUsers != null && !secure) {
            throw new UsageException("--scram-users gives the passwords of --secure: add --secure, or leave it out");
        }
        if (tls && !secure) {
            throw new UsageException("--tls encrypts the secured embedded broker's client listener: add --secure");
        }
        if (tls && !cdcFiles.isEmpty()) {
            throw new UsageException("--tls with --cdc is not supported yet: Debezium's schema history clients get no truststore; "
                    + "leave out --tls (the listener is on loopback) or run the connector elsewhere");
        }
        final List<ConnectorFile> connectors = readConnectorFiles();
        final SecurePrincipals principals = secure ? SecurePrincipals.read(scramUsers, System.getenv(), connectScopes(connectors)) : null;
        if (!spec.commandLine().getParseResult().hasMatchedOption("--kafka-port")) {
            kafka.kafkaPort = 9092; // the embedded default listens where Kafka clients look first
        }
        try (ShutdownSignal shutdown = ShutdownSignal.register(spec.name()); Running running = new Running()) {
            try {
                running.cluster = Cluster.open(kafka, dataDir.resolve("kafka"), err, principals, tls);
                final Cluster cluster = running.cluster;
                DetectorConfig config = cluster.config();
                if (stateDir != null || !config.streamsProperties().containsKey(StreamsConfig.STATE_DIR_CONFIG)) {
                    final Path state = stateDir != null ? stateDir : dataDir.resolve("streams");
                    config = config.withStreamsOverrides(Map.of(StreamsConfig.STATE_DIR_CONFIG, state.toAbsolutePath().toString()));
                }
                config = StaticMembership.forStateDirectory(config);
                try (Admin admin = Admin.create(cluster.adminProperties())) {
                    TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), partitions);
                    if (principals != null) {
                        final List<AclBinding> acls = principals.acls(config);
                        admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
                        awaitAclsInForce(admin, acls, Duration.ofSeconds(60));
                    }
                }
                running.apiServer = api.bind();
                if (running.apiServer != null) {
                    config = running.apiServer.advertise(config, api.advertisedHost());
                }
                running.runtime = DetectorRuntime.start(config);
                final DetectorRuntime runtime = running.runtime;
                running.metricsServer = metrics.start(runtime.streams(), System::currentTimeMillis);
                if (running.apiServer != null) {
                    running.apiServer.serve(runtime.streams(), config, cluster.clientProperties());
                }
                runtime.awaitRunning(Duration.ofSeconds(120));
                if (!connectors.isEmpty()) {
                    running.worker = startCdc(cluster, principals, connectors, out);
                }
                describe(config, cluster, principals, out);
                if (running.metricsServer != null) {
                    out.println("Metrics on " + running.metricsServer.url() + ", health on " + running.metricsServer.url().replace("/metrics", "/health"));
                    out.flush();
                }
                if (running.apiServer != null) {
                    out.println("Analysts' API on " + running.apiServer.url() + " (e.g. " + running.apiServer.url() + "lessons/top?program=2), "
                            + "reached by the other instances at " + config.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG));
                    out.flush();
                }
                final Throwable failure = runtime.awaitTermination();
                throw new IllegalStateException("the detector stopped: " + (failure == null ? "state " + runtime.state() : failure.toString()), failure);
            } catch (final Exception e) {
                if (!shutdown.requested()) {
                    throw e;
                }
                Thread.interrupted();
                err.println("stopping: closing the detector (at most " + DetectorRuntime.CLOSE_TIMEOUT.toSeconds() + " s) ...");
                err.flush();
                final boolean clean = running.closeAll();
                err.println(clean ? "stopped cleanly" : "stopped, but some threads did not finish in time");
                err.flush();
                return 0;
            }
        }
    }

    /** What a run has opened so far, closed in reverse order: the Connect worker, the API, the detector, the metrics, the broker. */
    private static final class Running implements AutoCloseable {

        private Cluster cluster;
        private DetectorRuntime runtime;
        private MetricsServer metricsServer;
        private AnalystApi apiServer;
        private ConnectWorker worker;

        /** Closes whatever is open (each once); true when the detector's threads all stopped in time. */
        boolean closeAll() {
            boolean clean = true;
            if (worker != null) {
                worker.close();
                worker = null;
            }
            if (apiServer != null) {
                apiServer.close();
                apiServer = null;
            }
            if (runtime != null) {
                clean = runtime.closeGracefully();
                runtime = null;
            }
            if (metricsServer != null) {
                metricsServer.close();
                metricsServer = null;
            }
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
            return clean;
        }

        @Override
        public void close() {
            closeAll();
        }
    }

    private List<ConnectorFile> readConnectorFiles() {
        final List<ConnectorFile> files = new ArrayList<>();
        for (final Path file : cdcFiles) {
            try {
                files.add(ConnectorFile.read(file));
            } catch (final IllegalArgumentException e) {
                throw new UsageException("--cdc " + e.getMessage());
            }
        }
        return files;
    }

    /**
     * Waits until the broker's authorizer holds every one of {@code acls}: {@code createAcls} returns once the controller
     * has them, the broker applies them a moment later, and a client that came first would be refused (the detector's
     * look at the logs topic's partitions, the Connect worker's first requests).
     */
    private static void awaitAclsInForce(final Admin admin, final List<AclBinding> acls, final Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!admin.describeAcls(AclBindingFilter.ANY).values().get(timeout.toSeconds(), TimeUnit.SECONDS).containsAll(acls)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the broker did not apply the ACLs within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** What the Connect worker works on for each connector file: its group and the connector's schema history topic. */
    private List<SecurePrincipals.ConnectScope> connectScopes(final List<ConnectorFile> connectors) {
        return connectors.stream()
                .map(connector -> new SecurePrincipals.ConnectScope(cdcGroup, connector.config().get(SCHEMA_HISTORY_TOPIC)))
                .toList();
    }

    /**
     * Starts the in-process Connect worker on the detector's cluster and registers every connector file. On a secured
     * broker the worker and its connectors authenticate as {@code User:connect}, never as the detector.
     */
    private ConnectWorker startCdc(final Cluster cluster, final SecurePrincipals principals, final List<ConnectorFile> connectors,
                                   final PrintWriter out) throws InterruptedException {
        final Map<String, String> client = new HashMap<>();
        cluster.clientProperties().forEach((key, value) -> client.put(key.toString(), value.toString()));
        client.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (principals != null) {
            cluster.principalClientConfig(SecurePrincipals.CONNECT, principals.password(SecurePrincipals.CONNECT))
                    .forEach((key, value) -> client.put(key, value.toString()));
        }
        final ConnectWorker worker = ConnectWorker.start(
                WorkerSettings.forCluster(cluster.bootstrapServers(), client).withGroupId(cdcGroup));
        try {
            for (final ConnectorFile connector : connectors) {
                worker.deploy(connector, Duration.ofSeconds(120));
                out.println("connector " + connector.name() + " (" + connector.path() + ") running in the Connect worker at " + worker.restUrl());
                out.flush();
            }
            return worker;
        } catch (final RuntimeException | InterruptedException e) {
            worker.close();
            throw e;
        }
    }

    private static void describe(final DetectorConfig config, final Cluster cluster, final SecurePrincipals principals, final PrintWriter out) {
        final TopicNames topics = config.topics();
        out.println("detector running on " + cluster.bootstrapServers() + (cluster.isEmbedded() ? " (embedded broker)" : "")
                + " as application " + config.applicationId());
        if (principals != null) {
            out.println("  secured     SASL/SCRAM-SHA-256" + (cluster.isTls() ? " over TLS" : "") + " and ACLs; the detector as User:" + SecurePrincipals.DETECTOR
                    + ", unauthenticated clients refused");
            principals.describe(config).forEach(line -> out.println("    " + line));
        }
        out.println("  reading     " + topics.logs() + ", " + topics.cohorts());
        out.println("  alerts to   " + topics.suspiciousIp() + " (machine speed), " + topics.lessonBand() + " (lesson bands)");
        out.println("  rejects to  " + topics.deadLetter());
        out.println("  state in    " + config.streamsProperties().get(StreamsConfig.STATE_DIR_CONFIG));
        out.println("Ctrl-C or SIGTERM stops it.");
        out.flush();
    }
}
