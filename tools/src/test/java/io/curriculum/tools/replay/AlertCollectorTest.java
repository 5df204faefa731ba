package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.topology.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AlertCollectorTest {

    @Test
    void shouldCloseItsConsumerWhenItCannotLookUpItsTopics() throws Exception {
        // given a cluster where nothing answers, and a consumer that gives up quickly
        final Properties client = new Properties();
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + freePort());
        client.put(ConsumerConfig.CLIENT_ID_CONFIG, "alert-collector-unreachable");
        client.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "300");
        client.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "300");

        // when the collector cannot look up its topics
        assertThatThrownBy(() -> new AlertCollector(client, Topics.of(Replay.topicsOf("x")), alert -> { }))
                .isInstanceOf(TimeoutException.class);

        // then its consumer is closed: no longer registered
        assertThat(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("kafka.consumer:type=app-info,id=alert-collector-unreachable"))).isFalse();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
