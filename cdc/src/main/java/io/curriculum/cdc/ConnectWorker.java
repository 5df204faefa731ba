package io.curriculum.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode, in this process: the same runtime as a production Connect cluster
 * ({@link ConnectDistributed}), its REST API on a free port of 127.0.0.1, its connector configs, source offsets and
 * statuses in Kafka topics of the given cluster, so a worker started again with the same group id resumes where the
 * last one stopped (or was killed). Connectors are registered through the REST API from the files of
 * {@code connectors/}, exactly as they are registered in production.
 *
 * <p>Plugins are found by {@code plugin.discovery=service_load} (the Debezium connectors and converters are on the
 * classpath, declared in their {@code META-INF/services}); scanning the classpath would cost seconds and hundreds of
 * MiB. Connect calls {@link Exit#exit} when it fails to start: while it starts, the exit procedure throws instead,
 * so a failure is an exception and never ends the JVM.
 */
public final class ConnectWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Connect<DistributedHerder> connect;
    private final URI restUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(final Connect<DistributedHerder> connect) {
        this.connect = connect;
        this.restUrl = connect.rest().advertisedUrl();
    }

    /** Starts a worker on the settings' cluster and waits until its REST API answers. */
    public static ConnectWorker start(final WorkerSettings settings) {
        final Map<String, String> props = workerProperties(settings);
        final Thread thread = Thread.currentThread();
        final ClassLoader loader = thread.getContextClassLoader();
        Exit.setExitProcedure((status, message) -> {
            throw new ConnectStartException("Kafka Connect failed to start (exit status " + status + ")"
                    + (message == null ? "; see the log above" : ": " + message));
        });
        final Connect<DistributedHerder> connect;
        try {
            connect = new ConnectDistributed().startConnect(props);
        } finally {
            Exit.resetExitProcedure();
            thread.setContextClassLoader(loader); // Connect swaps in its plugin loader
        }
        final ConnectWorker worker = new ConnectWorker(connect);
        LOG.info("Kafka Connect worker {} on {}, REST API at {}", settings.groupId(), settings.bootstrapServers(), worker.restUrl);
        return worker;
    }

    /** The worker's configuration: distributed mode, internal topics with the cluster's defaults, low latency. */
    static Map<String, String> workerProperties(final WorkerSettings settings) {
        final Map<String, String> props = new HashMap<>();
        settings.clientProperties().forEach((key, value) -> {
            props.put(key, value);
            props.put("producer." + key, value);
            props.put("consumer." + key, value);
            props.put("admin." + key, value);
        });
        props.put("bootstrap.servers", settings.bootstrapServers());
        props.put("group.id", settings.groupId());
        props.put("config.storage.topic", settings.groupId() + "-configs");
        props.put("offset.storage.topic", settings.groupId() + "-offsets");
        props.put("status.storage.topic", settings.groupId() + "-status");
        props.put("config.storage.replication.factor", "-1");
        props.put("offset.storage.replication.factor", "-1");
        props.put("status.storage.replication.factor", "-1");
        props.put("offset.storage.partitions", "-1");
        props.put("status.storage.partitions", "-1");
        props.put("offset.flush.interval.ms", String.valueOf(settings.offsetFlushInterval().toMillis()));
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("plugin.discovery", "service_load");
        // a worker that died is replaced quickly: its tasks are reassigned as soon as its session expires
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("session.timeout.ms", "6000");
        props.put("heartbeat.interval.ms", "2000");
        props.put("config.providers", "env,file,dir");
        props.put("config.providers.env.class", WorkerEnvironmentConfigProvider.class.getName());
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.put("config.providers.dir.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        final Map<String, String> environment = new HashMap<>();
        environment.put(WorkerSettings.BOOTSTRAP_VARIABLE, settings.bootstrapServers());
        // what the connector files give the clients Debezium makes itself (its schema history's producer and consumer),
        // which do not inherit the worker's settings: the worker's own security, PLAINTEXT when it has none
        final Map<String, String> client = settings.clientProperties();
        environment.put(WorkerSettings.SECURITY_PROTOCOL_VARIABLE, client.getOrDefault("security.protocol", "PLAINTEXT"));
        environment.put(WorkerSettings.SASL_MECHANISM_VARIABLE, client.getOrDefault("sasl.mechanism", "GSSAPI"));
        environment.put(WorkerSettings.SASL_JAAS_CONFIG_VARIABLE, client.getOrDefault("sasl.jaas.config", ""));
        environment.putAll(settings.environment());
        environment.forEach((name, value) -> props.put("config.providers.env.param." + name, value));
        return props;
    }

    public URI restUrl() {
        return restUrl;
    }

    /**
     * Registers (or updates) a connector as production does, {@code PUT /connectors/<name>/config} with the file's
     * config, and waits until the connector and all its tasks are RUNNING.
     */
    public void deploy(final ConnectorFile file, final Duration timeout) throws InterruptedException {
        final HttpResponse<String> put = send(HttpRequest.newBuilder(restUrl.resolve("/connectors/" + file.name() + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(file.configJson(), StandardCharsets.UTF_8)));
        if (put.statusCode() / 100 != 2) {
            throw new ConnectorFailedException("Connect refused connector " + file.name() + " from " + file.path() + " (HTTP "
                    + put.statusCode() + "): " + put.body());
        }
        awaitRunning(file.name(), timeout);
    }

    /** Waits until the connector and every one of its tasks is RUNNING; a FAILED one is an error with its trace. */
    public void awaitRunning(final String name, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no status yet";
        while (System.nanoTime() < deadline) {
            final HttpResponse<String> response = send(HttpRequest.newBuilder(restUrl.resolve("/connectors/" + name + "/status")).GET());
            if (response.statusCode() == 200) {
                last = response.body();
                final JsonNode status = readJson(last);
                final String state = status.path("connector").path("state").asText();
                final JsonNode tasks = status.path("tasks");
                if ("FAILED".equals(state)) {
                    throw new ConnectorFailedException("connector " + name + " FAILED: " + status.path("connector").path("trace").asText());
                }
                boolean allRunning = "RUNNING".equals(state) && tasks.size() > 0;
                for (final JsonNode task : tasks) {
                    if ("FAILED".equals(task.path("state").asText())) {
                        throw new ConnectorFailedException("connector " + name + " task " + task.path("id").asText() + " FAILED: "
                                + task.path("trace").asText());
                    }
                    allRunning &= "RUNNING".equals(task.path("state").asText());
                }
                if (allRunning) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new ConnectorFailedException("connector " + name + " was not RUNNING after " + timeout + "; last status: " + last);
    }

    /** The connector's status as Connect reports it (JSON). */
    public String status(final String name) {
        return send(HttpRequest.newBuilder(restUrl.resolve("/connectors/" + name + "/status")).GET()).body();
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new ConnectorFailedException("Connect's REST API at " + restUrl + " did not answer: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorFailedException("interrupted while calling Connect's REST API", e);
        }
    }

    private static JsonNode readJson(final String body) {
        try {
            return MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new ConnectorFailedException("Connect answered with something that is not JSON: " + body, e);
        }
    }

    /** Stops the connectors (committing their offsets), leaves the group and stops the REST API. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }

    /** Connect could not start (it would have called {@code System.exit}). */
    public static final class ConnectStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectStartException(final String message) {
            super(message);
        }
    }

    /** A connector was refused, failed, or did not start in time. */
    public static final class ConnectorFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectorFailedException(final String message) {
            super(message);
        }

        ConnectorFailedException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
