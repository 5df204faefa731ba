package io.curriculum.app.runtime;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.Repartition;
import io.curriculum.detector.topology.DetectorTopology;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the topology runs: one {@link KafkaStreams} with its lifecycle around it. An exception that escapes the
 * topology is a bug, not bad input (bad input is dead-lettered), so it stops this client instead of restarting
 * the thread into the same record again and again; {@link #awaitTermination()} then reports it. Closing leaves
 * the consumer group, so a restarted instance does not wait out the old member's session.
 */
public final class DetectorRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorRuntime.class);
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final DetectorConfig config;
    private final KafkaStreams streams;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private DetectorRuntime(final DetectorConfig config) {
        this.config = config;
        this.streams = new KafkaStreams(DetectorTopology.build(config), config.streamsConfig());
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            LOG.error("the detector stopped on an unexpected error (a bug: please report it with this log)", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((next, previous) -> {
            LOG.debug("Kafka Streams {} -> {}", previous, next);
            if (next == KafkaStreams.State.NOT_RUNNING || next == KafkaStreams.State.ERROR) {
                terminated.countDown();
            }
        });
    }

    /**
     * Builds the topology for {@code config} and starts it. {@code detector.repartition} is resolved first from the
     * partitions of the logs topic (see {@link #resolveRepartition}).
     */
    public static DetectorRuntime start(final DetectorConfig config) {
        final DetectorRuntime runtime = new DetectorRuntime(resolveRepartition(config));
        runtime.streams.start();
        return runtime;
    }

    /**
     * The configuration with {@code detector.repartition} resolved for the logs topic as the broker describes it. A topic
     * that cannot be described (not created yet, no permission) leaves {@code auto} unresolved, which repartitions: the
     * choice that is right for any number of partitions.
     */
    static DetectorConfig resolveRepartition(final DetectorConfig config) {
        if (config.repartition() == Repartition.ALWAYS) {
            return config;
        }
        final Map<String, Object> adminConfig = new HashMap<>();
        config.streamsConfig().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(String.valueOf(key))) {
                adminConfig.put(String.valueOf(key), value);
            }
        });
        final String logs = config.topics().logs();
        try (Admin admin = Admin.create(adminConfig)) {
            final int partitions = admin.describeTopics(List.of(logs)).allTopicNames().get(30, TimeUnit.SECONDS).get(logs).partitions().size();
            final DetectorConfig resolved = config.withLogsPartitions(partitions);
            LOG.info("the logs topic {} has {} partition(s): {}", logs, partitions,
                    resolved.repartitions() ? "records re-keyed inside the topology go through repartition topics"
                            : "the whole topology runs as one task, without repartition topics");
            return resolved;
        } catch (final ExecutionException | TimeoutException e) {
            LOG.info("cannot describe the logs topic {} ({}): re-keyed records go through repartition topics", logs, e.getMessage());
            return config;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return config;
        }
    }

    /** Waits until every task is assigned and restored; fails if the client stops first or the time runs out. */
    public void awaitRunning(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (terminated.getCount() == 0) {
                throw new IllegalStateException("the detector stopped while starting", failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the detector was not RUNNING after " + timeout + " (state " + streams.state()
                        + "): is the cluster reachable?");
            }
            Thread.sleep(50);
        }
    }

    /** Blocks until the client stops; returns the error that stopped it, or null for a requested close. */
    public Throwable awaitTermination() throws InterruptedException {
        terminated.await();
        return failure.get();
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    public Throwable failure() {
        return failure.get();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The configuration this runtime runs, {@code detector.repartition} resolved. */
    public DetectorConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The sum of a detector counter ({@code duplicates-absorbed-total}, ...) over every task. */
    public double detectorMetric(final String name) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("stream-curriculum-detector-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** The number of cohorts in the cohort GlobalKTable, or -1 while it cannot be queried yet. */
    public long cohortsKnown() {
        try {
            final ReadOnlyKeyValueStore<String, Object> store = streams.store(
                    StoreQueryParameters.fromNameAndType(DetectorTopology.COHORT_STORE, QueryableStoreTypes.keyValueStore()));
            long count = 0;
            try (KeyValueIterator<String, Object> all = store.all()) {
                while (all.hasNext()) {
                    all.next();
                    count++;
                }
            }
            return count;
        } catch (final RuntimeException e) {
            return -1;
        }
    }

    /**
     * Closes within {@link #CLOSE_TIMEOUT}, leaving the group; true when every thread stopped in time. An interrupt of
     * the caller does not cut the close short (closing is what an interrupted command does last); it stays set.
     */
    public boolean closeGracefully() {
        final boolean interrupted = Thread.interrupted();
        try {
            return streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        } finally {
            terminated.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closeGracefully();
    }

    /** Waits at most {@code timeout} for termination; true if the client stopped. */
    public boolean awaitTermination(final Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
