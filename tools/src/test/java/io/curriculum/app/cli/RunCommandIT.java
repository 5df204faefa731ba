package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.tools.cli.CommandRun;
import io.curriculum.tools.local.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} refusing what it cannot do, quickly and with a message that says what to do. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldExitWithUsageErrorNamingTheDataDirectoryWhenAnotherDetectorUsesIt() throws IOException {
        // given a detector's broker on the data directory
        final Path data = dir.resolve("data");
        try (EmbeddedKafka running = EmbeddedKafka.start(data.resolve("kafka"), 0)) {

            // when a second run is started on it, with another port
            final CommandRun second = CommandRun.of("run", "--data-dir", data.toString(), "--kafka-port", String.valueOf(freePort()),
                    "--metrics-port", "0");

            // then it is refused with a clear message, and the first broker keeps serving
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
            assertThat(second.err()).contains("data directory " + data.resolve("kafka").toAbsolutePath() + " is in use by another detector (pid ")
                    .contains("stop it or pass another --data-dir")
                    .doesNotContain("Exception");
            assertThat(running.bootstrapServers()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void shouldFailWithinTheProbeBoundNamingTheAddressWhenNothingListensThere() throws IOException {
        // given an address where nothing listens
        final String nowhere = "127.0.0.1:" + freePort();

        // when run is pointed at it
        final long started = System.nanoTime();
        final CommandRun run = CommandRun.of("run", "--bootstrap-servers", nowhere, "--data-dir", dir.toString(), "--metrics-port", "0");

        // then it gives up within the probe's bound, saying what it could not reach
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach " + nowhere + " within 15 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
