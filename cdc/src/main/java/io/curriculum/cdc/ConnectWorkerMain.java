package io.curriculum.cdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The worker alone in its own JVM: {@code ConnectWorkerMain BOOTSTRAP_SERVERS [--offset-flush-interval-ms N] FILE...}.
 * Registers the connector files, prints {@code connect worker ready at <url>} and runs until the JVM is stopped
 * (SIGTERM closes it cleanly). It exists so that a test can kill a worker the hard way ({@code kill -9}) and
 * start another one on the same offsets; the application runs the worker beside the detector instead.
 */
public final class ConnectWorkerMain {

    private ConnectWorkerMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: ConnectWorkerMain BOOTSTRAP_SERVERS [--offset-flush-interval-ms N] CONNECTOR_FILE...");
            System.exit(2);
        }
        WorkerSettings settings = WorkerSettings.forCluster(args[0], Map.of());
        final List<ConnectorFile> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if ("--offset-flush-interval-ms".equals(args[i])) {
                settings = settings.withOffsetFlushInterval(Duration.ofMillis(Long.parseLong(args[++i])));
            } else {
                files.add(ConnectorFile.read(Path.of(args[i])));
            }
        }
        final ConnectWorker worker = ConnectWorker.start(settings);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "connect-worker-shutdown"));
        for (final ConnectorFile file : files) {
            worker.deploy(file, Duration.ofSeconds(90));
        }
        System.out.println("connect worker ready at " + worker.restUrl());
        System.out.flush();
        stopped.await();
    }
}
