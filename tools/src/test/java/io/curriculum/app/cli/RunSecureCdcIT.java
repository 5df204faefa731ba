package io.curriculum.app.cli;

import static io.curriculum.app.faults.SecuredClients.client;
import static io.curriculum.app.faults.SecuredClients.consumer;
import static io.curriculum.app.faults.SecuredClients.pollUntilRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.curriculum.app.faults.ChildJvm;
import io.curriculum.app.runtime.BrokerSecurity;
import io.curriculum.tools.cli.CommandRun;
import io.curriculum.tools.local.ThrowawayMariaDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --secure --cdc connectors/mariadb.json} as an operator starts it, in a JVM of its own, against a throwaway
 * MariaDB (its own directory and port, stopped by the test): the in-process Connect worker and its Debezium connector
 * authenticate as {@code User:connect} with the ACLs of {@code DetectorAcls.connect} only, so the rows inserted into
 * the database reach the detector and become alerts the reviewer reads; the Connect principal may not read the alerts;
 * a client that does not authenticate gets nothing. Without the Connect principal's password it refuses to start.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunSecureCdcIT {

    private static final Path CONNECTORS = Path.of("..", "connectors").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration REFUSAL = Duration.ofSeconds(8);
    private static final String READY = "Ctrl-C or SIGTERM stops it.";
    private static final String SCRAPER = "204.44.112.76";
    private static final int ZION = 29;

    @TempDir
    Path dir;
    private ThrowawayMariaDb database;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        ChildJvm.stop(process);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void shouldCaptureRowsAsTheConnectPrincipalAndAlertOnThemWhileRefusingAnonymousClients() throws Exception {
        // given a throwaway MariaDB and run --secure --cdc, every password in its environment
        database = ThrowawayMariaDb.start(dir.resolve("mariadb"));
        final Map<String, String> passwords = Map.of("detector", BrokerSecurity.randomPassword(), "reviewer", BrokerSecurity.randomPassword(),
                "connect", BrokerSecurity.randomPassword());
        final Map<String, String> environment = new HashMap<>(database.connectorEnvironment());
        environment.put("DETECTOR_SCRAM_PASSWORD", passwords.get("detector"));
        environment.put("REVIEWER_SCRAM_PASSWORD", passwords.get("reviewer"));
        environment.put("CONNECT_SCRAM_PASSWORD", passwords.get("connect"));
        final int port = freePort();
        final String bootstrap = "127.0.0.1:" + port;
        final Path log = dir.resolve("run.log");
        process = ChildJvm.start(log, List.of(), environment, "run", "--secure", "--cdc", CONNECTORS.resolve("mariadb.json").toString(),
                "--data-dir", dir.resolve("data").toString(), "--kafka-port", String.valueOf(port), "--metrics-port", "0", "--no-api");
        ChildJvm.awaitLog(process, log, READY, WAIT);
        assertThat(ChildJvm.read(log)).contains("connector curriculum-mariadb").contains("User:connect (the Connect worker of --cdc)")
                .doesNotContain(passwords.get("connect"));

        // when a scraper fetches 40 lessons within seconds, one INSERT each
        final LocalDateTime from = LocalDateTime.parse("2019-03-03T22:52:00");
        for (int i = 0; i < 40; i++) {
            insert(from.plusSeconds(i / 5), "javascript-i/lesson-" + i, 341, SCRAPER);
        }

        // then the rows reach the detector through Debezium and it alerts; the reviewer reads the alerts
        final List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reviewer = consumer(client(bootstrap, "reviewer", passwords.get("reviewer")), "reviewer-alerts")) {
            reviewer.subscribe(List.of("curriculum.alerts.suspicious-ip"));
            await().atMost(WAIT).until(() -> {
                reviewer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
                return keys.size() >= 2;
            });
        }
        assertThat(keys).contains("burst|ip|" + SCRAPER + "|2019-03-04T04:52:00Z", "burst|client|" + SCRAPER + "|341|2019-03-04T04:52:00Z");
        assertThat(ChildJvm.read(log)).doesNotContain("TopicAuthorizationException").doesNotContain("ClusterAuthorizationException")
                .doesNotContain("GroupAuthorizationException");

        // and the Connect principal may not read the alerts
        try (KafkaConsumer<byte[], byte[]> connect = consumer(client(bootstrap, "connect", passwords.get("connect")), "curriculum-cdc-snoop")) {
            connect.subscribe(List.of("curriculum.alerts.suspicious-ip"));
            assertThatThrownBy(() -> pollUntilRefused(connect, WAIT)).isInstanceOf(TopicAuthorizationException.class);
        }

        // and a client that does not authenticate gets not even the cluster's metadata
        final Map<String, Object> anonymous = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL.toMillis(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(REFUSAL.toSeconds() + 5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void shouldRefuseToRunTheConnectWorkerSecuredWithoutItsPassword() {
        // when run --secure --cdc has the detector's and the reviewer's passwords but not the Connect worker's
        final CommandRun run = CommandRun.of("run", "--secure", "--cdc", CONNECTORS.resolve("mariadb.json").toString(),
                "--scram-users", writeUsers("detector=" + BrokerSecurity.randomPassword() + "\nreviewer=" + BrokerSecurity.randomPassword() + "\n"),
                "--data-dir", dir.resolve("none").toString(), "--kafka-port", "0");

        // then it names the variable and the file, and starts nothing
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("no password for the connect principal: set CONNECT_SCRAM_PASSWORD or add a line to");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    private String writeUsers(final String text) {
        try {
            return Files.writeString(dir.resolve("users.properties"), text).toString();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void insert(final LocalDateTime time, final String path, final long user, final String ip) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO logs (date, time, path, user_id, cohort_id, ip) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, time.toLocalDate());
            insert.setObject(2, time.toLocalTime());
            insert.setString(3, path);
            insert.setLong(4, user);
            insert.setInt(5, ZION);
            insert.setString(6, ip);
            insert.executeUpdate();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
