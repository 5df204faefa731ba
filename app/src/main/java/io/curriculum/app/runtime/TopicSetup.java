package io.curriculum.app.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics an application needs before it starts, with the configs the registry gives them
 * (retention forever for history, compaction for the cohort table). Topics that exist are left as they are.
 */
public final class TopicSetup {

    private static final long TIMEOUT_SECONDS = 60;

    private TopicSetup() {
    }

    /**
     * Creates every missing topic of {@code topics} (name → configs) with {@code partitions} partitions and the
     * cluster's default replication factor, and waits until each has a leader.
     */
    public static void ensure(final Admin admin, final Map<String, Map<String, String>> topics, final int partitions)
            throws InterruptedException {
        try {
            final Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            topics.forEach((name, configs) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs));
                }
            });
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, topics.keySet());
        } catch (final ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("cannot create the topics " + topics.keySet() + ": "
                    + (e.getCause() == null ? e : e.getCause()).toString()
                    + " (is the cluster reachable, and may this client create topics? Otherwise create them beforehand, see the README)", e);
        }
    }

    private static void awaitLeaders(final Admin admin, final Set<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
                        .allMatch(topic -> topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (final ExecutionException e) {
                // a topic just created may not have reached the broker's metadata yet
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no leader for some of " + names + " after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(50);
        }
    }
}
