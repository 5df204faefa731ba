package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.app.runtime.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} refusing what it cannot do, quickly and with a message that says what to do. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunCommandTest {

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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
