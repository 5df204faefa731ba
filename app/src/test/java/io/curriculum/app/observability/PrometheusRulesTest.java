package io.curriculum.app.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The committed Prometheus configuration and rules, checked and unit-tested by Prometheus' own promtool. */
class PrometheusRulesTest {

    private static final Path PROMETHEUS = RepositoryFiles.root().resolve("prometheus");

    @Test
    void shouldAcceptTheConfiguration() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS: prometheus.yml is valid");
    }

    @Test
    void shouldAcceptTheRules() throws Exception {
        assertThat(promtool("check", "rules", "rules/detector.yml")).contains("SUCCESS: 7 rules found");
    }

    @Test
    void shouldPassTheRulesUnitTests() throws Exception {
        assertThat(promtool("test", "rules", "tests/detector_test.yml")).contains("SUCCESS");
    }

    private static String promtool(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(RepositoryFiles.binary("promtool", "prometheus")));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
