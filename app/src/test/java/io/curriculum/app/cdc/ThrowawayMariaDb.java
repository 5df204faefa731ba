package io.curriculum.app.cdc;

import io.curriculum.app.history.CohortRow;
import io.curriculum.app.history.CohortsCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of the test's own: {@code mariadbd} from the OS package, started on a free port of 127.0.0.1
 * with its own data directory and socket (never the machine's server on 3306), the binlog as Debezium needs it
 * (ROW format, FULL row images, a server id), the schema and grants of {@code connectors/}, and the real cohorts
 * table. Stopped by the pid of the process it started.
 */
final class ThrowawayMariaDb implements AutoCloseable {

    static final String CDC_USER = "debezium";
    static final String CDC_PASSWORD = "cdc-test-secret";
    private static final String WRITER = "writer";
    private static final String WRITER_PASSWORD = "writer-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process server;
    private final Path dir;
    private final int port;

    private ThrowawayMariaDb(final Process server, final Path dir, final int port) {
        this.server = server;
        this.dir = dir;
        this.port = port;
    }

    /** Installs and starts a server in {@code dir}, loads the schema, the grants and the real cohorts. */
    static ThrowawayMariaDb start(final Path dir, final Path connectorsDir) throws IOException, InterruptedException, SQLException {
        final String mariadbd = executable("mariadbd", "/usr/sbin/mariadbd");
        final String installDb = executable("mariadb-install-db", "/usr/bin/mariadb-install-db");
        final Path data = dir.resolve("data");
        Files.createDirectories(data);
        final String user = System.getProperty("user.name");
        run(dir.resolve("install.log"), installDb, "--no-defaults", "--user=" + user, "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db");
        final int port = freePort();
        final Process server = new ProcessBuilder(mariadbd, "--no-defaults", "--user=" + user, "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysql.sock"),
                "--pid-file=" + dir.resolve("mariadbd.pid"), "--log-error=" + dir.resolve("error.log"),
                "--log-bin=" + dir.resolve("binlog"), "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1",
                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=64M", "--innodb-flush-log-at-trx-commit=2",
                "--skip-name-resolve")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mariadbd.out").toFile())
                .start();
        final ThrowawayMariaDb db = new ThrowawayMariaDb(server, dir, port);
        try {
            db.awaitSocket();
            db.script(connectorsDir.resolve("schema.sql"), Map.of());
            db.script(connectorsDir.resolve("grants.sql"), Map.of("cdc_password", CDC_PASSWORD));
            db.sql("CREATE USER '" + WRITER + "'@'127.0.0.1' IDENTIFIED BY '" + WRITER_PASSWORD + "';"
                    + " GRANT SELECT, INSERT, UPDATE, DELETE ON curriculum_logs.* TO '" + WRITER + "'@'127.0.0.1';");
            db.loadCohorts(CohortsCsv.bundled());
            return db;
        } catch (final IOException | SQLException | RuntimeException | InterruptedException e) {
            db.close();
            throw e;
        }
    }

    /** The variables the connector files read with {@code ${env:...}}: where this server is and the Debezium user. */
    Map<String, String> connectorEnvironment() {
        return Map.of("CDC_DB_HOST", "127.0.0.1", "CDC_DB_PORT", String.valueOf(port),
                "CDC_DB_USER", CDC_USER, "CDC_DB_PASSWORD", CDC_PASSWORD);
    }

    int port() {
        return port;
    }

    long pid() {
        return server.pid();
    }

    /** A JDBC connection of a user that may write curriculum_logs (autocommit on: one statement, one transaction). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/curriculum_logs", WRITER, WRITER_PASSWORD);
    }

    /** Empties both tables and loads the real cohorts again: a clean source for the next test. */
    void reset() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM logs");
            statement.execute("DELETE FROM cohorts");
        }
        loadCohorts(CohortsCsv.bundled());
    }

    private void loadCohorts(final List<CohortRow> cohorts) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO cohorts"
                     + " (id, name, slack, start_date, end_date, created_at, updated_at, deleted_at, program_id)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (final CohortRow row : cohorts) {
                insert.setInt(1, row.id());
                insert.setString(2, row.name());
                insert.setString(3, row.slack());
                insert.setObject(4, row.startDate());
                insert.setObject(5, row.endDate());
                insert.setString(6, row.createdAt());
                insert.setString(7, row.updatedAt());
                insert.setString(8, row.deletedAt());
                insert.setInt(9, row.programId());
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    /** Runs a SQL script as root through the {@code mariadb} client (so DELIMITER works), with user variables set first. */
    private void script(final Path file, final Map<String, String> variables) throws IOException, InterruptedException {
        final StringBuilder init = new StringBuilder();
        variables.forEach((name, value) -> init.append(init.length() == 0 ? "SET " : ", ").append('@').append(name).append("='").append(value).append('\''));
        final Process client = new ProcessBuilder(executable("mariadb", "/usr/bin/mariadb"), "--no-defaults", "--socket=" + dir.resolve("mysql.sock"),
                "-u", "root", init.length() == 0 ? "--batch" : "--init-command=" + init)
                .redirectInput(file.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("client.log").toFile())
                .start();
        if (!client.waitFor(60, TimeUnit.SECONDS) || client.exitValue() != 0) {
            client.destroyForcibly();
            throw new IllegalStateException(file + " failed on the throwaway MariaDB: " + Files.readString(dir.resolve("client.log")));
        }
    }

    private void sql(final String statements) throws IOException, InterruptedException {
        final Path file = dir.resolve("statements.sql");
        Files.writeString(file, statements);
        script(file, Map.of());
    }

    private void awaitSocket() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + server.exitValue() + ": " + errorLog());
            }
            if (Files.exists(dir.resolve("mysql.sock"))) {
                try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (final IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("mariadbd did not listen on port " + port + " within " + START_TIMEOUT + ": " + errorLog());
    }

    private String errorLog() throws IOException {
        final Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "(no error log)";
    }

    /** Stops the server by its pid: SIGTERM (a clean shutdown), SIGKILL if it has not ended within 30 s. */
    @Override
    public void close() {
        server.destroy();
        try {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String executable(final String name, final String usual) {
        if (Files.isExecutable(Path.of(usual))) {
            return usual;
        }
        for (final String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            final Path candidate = Path.of(entry, name);
            if (!entry.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: the CDC tests start a throwaway MariaDB server of their own. "
                + "Install the OS package mariadb-server (Debian/Ubuntu: apt-get install -y --no-install-recommends mariadb-server)");
    }

    private static void run(final Path log, final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
