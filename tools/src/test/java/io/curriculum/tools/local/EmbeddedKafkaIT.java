package io.curriculum.tools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's hold on its data directory: one broker at a time, released on close. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondBrokerOnADataDirectoryInUseAndReleaseItOnClose() {
        // given a broker on the data directory
        final Path data = dir.resolve("kafka");
        try (EmbeddedKafka first = EmbeddedKafka.start(data, 0)) {

            // when a second broker is started on the same directory, then it is refused at once, naming the directory
            assertThatThrownBy(() -> EmbeddedKafka.start(data, 0))
                    .isInstanceOf(EmbeddedKafka.DataDirectoryInUseException.class)
                    .hasMessage("data directory " + data.toAbsolutePath() + " is in use by another detector (pid "
                            + ProcessHandle.current().pid() + "); stop it or pass another --data-dir");

            // and the first broker still serves
            assertThat(first.bootstrapServers()).startsWith("127.0.0.1:");
        }

        // when the first is closed, then the directory can be used again, and the close is bounded
        final long started = System.nanoTime();
        final EmbeddedKafka again = EmbeddedKafka.start(data, 0);
        again.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));
    }
}
