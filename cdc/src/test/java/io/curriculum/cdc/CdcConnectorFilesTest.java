package io.curriculum.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The files of {@code connectors/} as the worker reads them, and the worker configuration built around them. */
class CdcConnectorFilesTest {

    private static final Path CONNECTORS = Path.of("..", "connectors");

    @ParameterizedTest
    @ValueSource(strings = {"mysql.json", "mariadb.json"})
    void shouldCaptureBothTablesWithoutInlineCredentials(final String file) {
        // when
        final ConnectorFile connector = ConnectorFile.read(CONNECTORS.resolve(file));

        // then
        final Map<String, String> config = connector.config();
        assertThat(config).containsEntry("topic.prefix", "curriculum")
                .containsEntry("database.include.list", "curriculum_logs")
                .containsEntry("table.include.list", "curriculum_logs.logs,curriculum_logs.cohorts")
                .containsEntry("value.converter", "org.apache.kafka.connect.json.JsonConverter")
                .containsEntry("poll.interval.ms", "10");
        assertThat(config.get("database.password")).isEqualTo("${env:CDC_DB_PASSWORD}");
        assertThat(config.get("database.hostname")).startsWith("${env:");
        assertThat(config.get("database.port")).startsWith("${env:");
        assertThat(config.get("schema.history.internal.kafka.bootstrap.servers")).isEqualTo("${env:CDC_KAFKA_BOOTSTRAP_SERVERS}");
    }

    @Test
    void shouldKeepTheTwoConnectorsApartOnTheSameServerAndCluster() {
        final Map<String, String> mysql = ConnectorFile.read(CONNECTORS.resolve("mysql.json")).config();
        final Map<String, String> mariadb = ConnectorFile.read(CONNECTORS.resolve("mariadb.json")).config();
        assertThat(mysql.get("database.server.id")).isNotEqualTo(mariadb.get("database.server.id"));
        assertThat(mysql.get("schema.history.internal.kafka.topic")).isNotEqualTo(mariadb.get("schema.history.internal.kafka.topic"));
    }

    @Test
    void shouldNameTheFileWhenItIsNotAConnectorConfig(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("bad.json"), "{\"config\": {}}");
        assertThatThrownBy(() -> ConnectorFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("\"name\"");
        assertThatThrownBy(() -> ConnectorFile.read(dir.resolve("missing.json"))).hasMessageContaining("does not exist");
    }

    @Test
    void shouldGiveConnectorsTheWorkersClusterThroughTheEnvProvider() {
        // when
        final Map<String, String> props = ConnectWorker.workerProperties(WorkerSettings.forCluster("k1:9092", Map.of("security.protocol", "SSL"))
                .withEnvironment(Map.of("CDC_DB_PORT", "3307")).withOffsetFlushInterval(Duration.ofMillis(500)));

        // then
        assertThat(props).containsEntry("config.providers.env.param.CDC_KAFKA_BOOTSTRAP_SERVERS", "k1:9092")
                .containsEntry("config.providers.env.param.CDC_DB_PORT", "3307")
                .containsEntry("producer.security.protocol", "SSL")
                .containsEntry("plugin.discovery", "service_load")
                .containsEntry("offset.flush.interval.ms", "500");
    }

    @Test
    void shouldResolveVariablesFromItsParametersOverTheEnvironment() throws IOException {
        try (WorkerEnvironmentConfigProvider provider = new WorkerEnvironmentConfigProvider()) {
            provider.configure(Map.of("CDC_DB_HOST", "db.example.org"));
            assertThat(provider.get("", java.util.Set.of("CDC_DB_HOST")).data()).containsEntry("CDC_DB_HOST", "db.example.org");
            assertThatThrownBy(() -> provider.get("", java.util.Set.of("CDC_NOT_SET_ANYWHERE"))).hasMessageContaining("CDC_NOT_SET_ANYWHERE");
        }
    }
}
