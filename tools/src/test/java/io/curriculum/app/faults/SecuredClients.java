package io.curriculum.app.faults;

import io.curriculum.app.runtime.BrokerSecurity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Clients of a secured broker as the security tests open them: one principal's settings, a consumer, a refusal awaited. */
public final class SecuredClients {

    private SecuredClients() {
    }

    /** The settings of a client that authenticates as {@code user} with {@code password} (SASL/SCRAM) on {@code bootstrap}. */
    public static Map<String, Object> client(final String bootstrap, final String user, final String password) {
        final Map<String, Object> client = new HashMap<>(BrokerSecurity.clientConfig(user, password));
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return client;
    }

    /** A read_committed consumer of {@code group} from the earliest offset. */
    public static KafkaConsumer<byte[], byte[]> consumer(final Map<String, Object> client, final String group) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls for at most {@code wait}; the refusal surfaces as the exception of a poll, and none within it fails. */
    public static void pollUntilRefused(final KafkaConsumer<byte[], byte[]> consumer, final Duration wait) {
        final long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
        throw new AssertionError("no refusal within " + wait);
    }
}
