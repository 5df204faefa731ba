package io.curriculum.tools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.app.runtime.BrokerCertificate;
import io.curriculum.app.runtime.BrokerSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured embedded broker with TLS on its client listener: the certificate is made at the first start into the data
 * directory and kept across restarts; a SCRAM client over TLS that trusts it gets in; a client that speaks SASL without
 * TLS to the same port is refused (it never completes a handshake); a TLS client that does not trust the certificate is
 * refused with {@code SslAuthenticationException}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTlsIT {

    private static final int REFUSAL_MS = 6_000;

    @TempDir
    Path dir;

    @Test
    void shouldLetInOnlyTlsClientsThatTrustTheBrokersOwnCertificate() throws Exception {
        // given a secured broker with TLS, started twice on the same data directory
        final String password = BrokerSecurity.randomPassword();
        final BrokerSecurity security = BrokerSecurity.scram(Map.of("detector", password)).withTls();
        final byte[] firstTruststore;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, security)) {
            firstTruststore = Files.readAllBytes(kafka.certificate().orElseThrow().truststore());
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, security)) {
            final BrokerCertificate certificate = kafka.certificate().orElseThrow();
            assertThat(certificate.truststore()).startsWith(dir.resolve("kafka"));
            assertThat(Files.readAllBytes(certificate.truststore())).as("the certificate is kept across restarts").isEqualTo(firstTruststore);

            // when a client authenticates over TLS, trusting the certificate, then it gets in
            try (Admin admin = Admin.create(client(kafka, kafka.clientConfig("detector", password)))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
                assertThat(kafka.clientConfig("detector", password)).containsEntry("security.protocol", "SASL_SSL");
            }

            // when a client speaks SASL without TLS to the same port, then it gets nothing
            try (Admin admin = Admin.create(client(kafka, BrokerSecurity.clientConfig("detector", password)))) {
                assertThatThrownBy(() -> admin.listTopics().names().get(REFUSAL_MS + 5_000, TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
            }

            // when a TLS client does not trust the certificate (the JDK's default truststore), then the handshake fails
            final Map<String, Object> untrusting = new HashMap<>(kafka.clientConfig("detector", password));
            untrusting.remove("ssl.truststore.location");
            untrusting.remove("ssl.truststore.password");
            untrusting.remove("ssl.truststore.type");
            try (Admin admin = Admin.create(client(kafka, untrusting))) {
                assertThatThrownBy(() -> admin.listTopics().names().get(REFUSAL_MS + 5_000, TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SslAuthenticationException.class);
            }
        }
    }

    private static Map<String, Object> client(final EmbeddedKafka kafka, final Map<String, Object> security) {
        final Map<String, Object> client = new HashMap<>(security);
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REFUSAL_MS);
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        return client;
    }
}
