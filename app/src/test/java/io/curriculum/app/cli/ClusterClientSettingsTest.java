package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code DETECTOR_KAFKA_*} variables that are client settings reach every client of a command (the admin client, the
 * API's consumers, the Connect worker), not Kafka Streams alone; Streams-only settings and other variables do not.
 */
class ClusterClientSettingsTest {

    @Test
    void shouldPassTheClientSettingsOfTheEnvironmentToEveryClient() {
        // given
        final Map<String, String> environment = Map.of(
                "DETECTOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "DETECTOR_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "DETECTOR_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "DETECTOR_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12",
                "DETECTOR_KAFKA_PROCESSING_GUARANTEE", "at_least_once",
                "DETECTOR_BURST_WINDOW", "PT1M",
                "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        // when
        final Map<String, String> settings = Cluster.clientSettingsOf(environment);
        // then
        assertThat(settings).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    }
}
