package io.curriculum.tools.local;

import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of our own, for the demo and the CDC tests: {@code mariadbd} from the OS package
 * {@value #PACKAGE}, installed into a data directory of its own and started on a free port of 127.0.0.1 with its own
 * socket (never the machine's server on 3306), the binlog as Debezium needs it (ROW format, FULL row images, a server
 * id), the schema and grants of {@code connectors/} (the copies packaged in the jar, see {@link BundledConnectors}),
 * and the real cohorts table. Passwords are random per server. Stopped by the pid of the process it started: by
 * {@link #close()}, or by a shutdown hook when the JVM ends first (Ctrl-C, {@code System.exit}), so no server is left
 * behind but by a {@code kill -9} of the JVM.
 */
public final class ThrowawayMariaDb implements AutoCloseable {

    /** The OS package that has {@code mariadbd}, {@code mariadb-install-db} and the {@code mariadb} client. */
    public static final String PACKAGE = "mariadb-server";
    public static final String INSTALL_HINT = "install the OS package " + PACKAGE
            + " (Debian/Ubuntu: apt-get install -y --no-install-recommends " + PACKAGE + ")";
    public static final String CDC_USER = "debezium";
    private static final String WRITER = "writer";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Unix sockets paths are limited to 108 bytes; a longer one goes to a temporary directory. */
    private static final int MAX_SOCKET_PATH = 100;
    /** Each program the server needs: its name on the PATH and where Debian puts it. */
    private static final String[][] PROGRAMS = {
            {"mariadbd", "/usr/sbin/mariadbd"}, {"mariadb-install-db", "/usr/bin/mariadb-install-db"}, {"mariadb", "/usr/bin/mariadb"}};

    private final Process server;
    private final Path dir;
    private final Path socket;
    private final int port;
    private final String cdcPassword = randomPassword();
    private final String writerPassword = randomPassword();
    private final Thread stopOnExit;

    private ThrowawayMariaDb(final Process server, final Path dir, final Path socket, final int port) {
        this.server = server;
        this.dir = dir;
        this.socket = socket;
        this.port = port;
        this.stopOnExit = new Thread(this::stop, "mariadbd-" + server.pid() + "-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** The programs a server needs, or empty when one is missing: then {@link #INSTALL_HINT}. */
    public static Optional<String> missingProgram() {
        for (final String[] program : PROGRAMS) {
            if (find(program[0], program[1]).isEmpty()) {
                return Optional.of(program[0]);
            }
        }
        return Optional.empty();
    }

    /**
     * Installs and starts a server in {@code dir} (which must not hold an earlier one), loads the schema, the grants and
     * the real cohorts. A missing program is an {@link IllegalStateException} naming the package to install.
     */
    public static ThrowawayMariaDb start(final Path dir) throws IOException, InterruptedException, SQLException {
        final String mariadbd = executable(PROGRAMS[0]);
        final String installDb = executable(PROGRAMS[1]);
        executable(PROGRAMS[2]);
        final Path data = dir.resolve("data");
        Files.createDirectories(data);
        final Path socket = dir.toAbsolutePath().resolve("mysql.sock").toString().length() <= MAX_SOCKET_PATH
                ? dir.toAbsolutePath().resolve("mysql.sock")
                : Files.createTempDirectory("mariadb-").resolve("mysql.sock");
        final String user = System.getProperty("user.name");
        run(dir.resolve("install.log"), installDb, "--no-defaults", "--user=" + user, "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db");
        final int port = freePort();
        final Process server = new ProcessBuilder(mariadbd, "--no-defaults", "--user=" + user, "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket,
                "--pid-file=" + dir.resolve("mariadbd.pid"), "--log-error=" + dir.resolve("error.log"),
                "--log-bin=" + dir.resolve("binlog"), "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1",
                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=64M", "--innodb-flush-log-at-trx-commit=2",
                "--skip-name-resolve")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mariadbd.out").toFile())
                .start();
        final ThrowawayMariaDb db = new ThrowawayMariaDb(server, dir, socket, port);
        try {
            db.awaitListening();
            db.script(BundledConnectors.SCHEMA, BundledConnectors.read(BundledConnectors.SCHEMA), Map.of());
            db.script(BundledConnectors.GRANTS, BundledConnectors.read(BundledConnectors.GRANTS), Map.of("cdc_password", db.cdcPassword));
            db.script("writer.sql", "CREATE USER '" + WRITER + "'@'127.0.0.1' IDENTIFIED BY '" + db.writerPassword + "';"
                    + " GRANT SELECT, INSERT, UPDATE, DELETE ON curriculum_logs.* TO '" + WRITER + "'@'127.0.0.1';", Map.of());
            db.loadCohorts(CohortsCsv.bundled());
            return db;
        } catch (final IOException | SQLException | RuntimeException | InterruptedException e) {
            db.close();
            throw e;
        }
    }

    /** The variables the connector files read with {@code ${env:...}}: where this server is and the Debezium user. */
    public Map<String, String> connectorEnvironment() {
        return Map.of("CDC_DB_HOST", "127.0.0.1", "CDC_DB_PORT", String.valueOf(port),
                "CDC_DB_USER", CDC_USER, "CDC_DB_PASSWORD", cdcPassword);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return server.pid();
    }

    /** A JDBC connection of a user that may write curriculum_logs (autocommit on: one statement, one transaction). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/curriculum_logs", WRITER, writerPassword);
    }

    /** Runs a schema change (e.g. {@code ALTER TABLE logs ADD COLUMN ...}) on curriculum_logs as root: the writer may not. */
    public void changeSchema(final String ddl) throws IOException, InterruptedException {
        script("schema-change.sql", "USE curriculum_logs; " + ddl + ";", Map.of());
    }

    /** Empties both tables and loads the real cohorts again: a clean source for the next test. */
    public void reset() throws SQLException {
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
    private void script(final String name, final String sql, final Map<String, String> variables) throws IOException, InterruptedException {
        final Path file = Files.writeString(dir.resolve(name), sql);
        final StringBuilder init = new StringBuilder();
        variables.forEach((variable, value) -> init.append(init.length() == 0 ? "SET " : ", ")
                .append('@').append(variable).append("='").append(value).append('\''));
        final Path log = dir.resolve("client.log");
        final Process client = new ProcessBuilder(executable(PROGRAMS[2]), "--no-defaults", "--socket=" + socket,
                "-u", "root", init.length() == 0 ? "--batch" : "--init-command=" + init)
                .redirectInput(file.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!client.waitFor(60, TimeUnit.SECONDS) || client.exitValue() != 0) {
                throw new IllegalStateException(name + " failed on the throwaway MariaDB: " + Files.readString(log));
            }
        } finally {
            client.destroyForcibly();
            Files.deleteIfExists(file); // it may hold a password
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + server.exitValue() + ": " + errorLog());
            }
            if (Files.exists(socket)) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
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

    /** Stops the server by its pid: SIGTERM (a clean shutdown), SIGKILL if it has not ended within 30 s. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (final IllegalStateException e) {
            // the JVM is shutting down: the hook stops the server
        }
        stop();
    }

    private void stop() {
        server.destroy();
        boolean interrupted = Thread.interrupted(); // a Ctrl-C must not leave the server running
        try {
            while (true) {
                try {
                    if (!server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                    return;
                } catch (final InterruptedException e) {
                    interrupted = true;
                    server.destroyForcibly();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Optional<String> find(final String name, final String usual) {
        if (Files.isExecutable(Path.of(usual))) {
            return Optional.of(usual);
        }
        for (final String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
                return Optional.of(Path.of(entry, name).toString());
            }
        }
        return Optional.empty();
    }

    private static String executable(final String[] program) {
        return find(program[0], program[1]).orElseThrow(() -> new IllegalStateException(program[0]
                + " is not installed (needed to start a throwaway MariaDB server): " + INSTALL_HINT));
    }

    private static void run(final Path log, final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomPassword() {
        final byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
