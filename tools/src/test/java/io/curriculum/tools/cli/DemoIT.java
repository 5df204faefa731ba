package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, on the embedded default, with the history replayed straight into Kafka (--source file; the
 * database source is {@link DemoDatabaseIT}'s): a broker, a generated history, alerts as they fire, a summary.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DemoIT {

    @TempDir
    Path dir;

    @Test
    void shouldPrintAlertsAsTheyFireAndASummaryOnTheEmbeddedDefault() throws Exception {
        // when the demo replays a file with nothing but its own defaults, on a smaller history, and exits after the summary
        final Path data = dir.resolve("demo");
        final CommandRun run = CommandRun.of("demo", "--source", "file", "--exit", "--rows", "20000", "--days", "42", "--data-dir", data.toString(), "--metrics-port", "0", "--api-port", "0");

        // then it started its own broker, generated a labelled history, and printed machine-speed alerts and a summary
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("embedded Kafka broker on 127.0.0.1:").doesNotContain("ALERT ");
        assertThat(run.out()).contains("ALERT ").contains(" BURST ");
        assertThat(run.out()).contains("generated 20,").containsPattern("injected anomalies: burst-scraper \\d+, ")
                .doesNotContain("BURST_SCRAPER")
                .containsPattern("rows processed +20,\\d{3} of 20,\\d{3} produced")
                .containsPattern("alerts +\\d+: .*burst \\(client\\) \\d+");
        assertThat(data.resolve("history.txt")).isNotEmptyFile();
        assertThat(Files.readAllLines(data.resolve("alerts.jsonl"))).isNotEmpty();
    }
}
