package io.curriculum.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The application's HTTP endpoint for operations, on the JDK's own HTTP server (no web framework to clash with
 * Kafka Connect's): {@code /metrics} in the Prometheus text format (the detector's meters, Kafka Streams' and
 * the JVM's), {@code /health/live} (200 unless the detector has stopped on an error), {@code /health/ready} (200
 * while Kafka Streams is RUNNING, else 503) and {@code /health} (the state as JSON).
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final DetectorMeters meters;
    private final KafkaStreams streams;

    private MetricsServer(final HttpServer server, final KafkaStreams streams, final LongSupplier referenceTimeMs) {
        this.server = server;
        this.streams = streams;
        registry.config().commonTags("application", "curriculum-detector");
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.meters = new DetectorMeters(streams, registry, referenceTimeMs);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health/live", exchange -> respond(exchange, isLive() ? 200 : 503, "text/plain", isLive() ? "live\n" : "stopped\n"));
        server.createContext("/health/ready", exchange -> respond(exchange, isReady() ? 200 : 503, "text/plain", streams.state() + "\n"));
        server.createContext("/health", exchange -> respond(exchange, isLive() ? 200 : 503, "application/json",
                "{\"state\":\"" + streams.state() + "\",\"live\":" + isLive() + ",\"ready\":" + isReady() + "}\n"));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            final Thread thread = new Thread(r, "metrics-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /**
     * Serves the metrics of {@code streams} on {@code address}:{@code port} (0: any free port).
     *
     * @param referenceTimeMs what the event-time lag is measured against: the wall clock for a live detector,
     *                        the newest row produced for a replay
     */
    public static MetricsServer start(final String address, final int port, final KafkaStreams streams, final LongSupplier referenceTimeMs) {
        try {
            return new MetricsServer(HttpServer.create(new InetSocketAddress(address, port), 0), streams, referenceTimeMs);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + address + ":" + port + " (" + e.getMessage()
                    + "): pass --metrics-port with a free port, or --no-metrics", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/metrics";
    }

    private boolean isLive() {
        return streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.PENDING_ERROR;
    }

    private boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    private void metrics(final HttpExchange exchange) throws IOException {
        meters.refresh();
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        streamsMetrics.close();
        gcMetrics.close();
        registry.close();
    }
}
