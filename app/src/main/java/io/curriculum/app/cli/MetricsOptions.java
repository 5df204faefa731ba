package io.curriculum.app.cli;

import io.curriculum.app.metrics.MetricsServer;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Option;

/** Where the metrics and health endpoint listens, shared by the commands that keep a detector running. */
public final class MetricsOptions {

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address of the metrics and health endpoint (/metrics, /health, /health/live, /health/ready). "
                    + "Default: ${DEFAULT-VALUE} (loopback only; 0.0.0.0 for every interface).")
    String address;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9464",
            description = "Port of the metrics and health endpoint (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--no-metrics", description = "Serve no metrics or health endpoint.")
    boolean disabled;

    /** Starts the endpoint for {@code streams}, or returns null when disabled. */
    public MetricsServer start(final KafkaStreams streams, final LongSupplier referenceTimeMs) {
        if (disabled) {
            return null;
        }
        try {
            return MetricsServer.start(address, port, streams, referenceTimeMs);
        } catch (final RuntimeException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
