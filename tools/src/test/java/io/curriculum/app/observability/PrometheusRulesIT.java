package io.curriculum.app.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one alerting path, checked by the tools of Prometheus and Alertmanager themselves: promtool checks the
 * configuration and unit-tests the rules; amtool checks the Alertmanager configuration and shows where each rule's
 * severity is routed. Grafana provisions no alert rules of its own.
 */
class PrometheusRulesIT {

    private static final Path ROOT = RepositoryFiles.root();
    private static final Path PROMETHEUS = ROOT.resolve("prometheus");
    private static final Path ALERTMANAGER = ROOT.resolve("alertmanager/alertmanager.yml");
    /** Who is told, by severity: the contract of alertmanager.yml. */
    private static final Map<String, String> RECEIVER_BY_SEVERITY = Map.of("critical", "on-call", "warning", "operators", "info", "analysts");

    @Test
    void shouldAcceptTheConfigurationAndSendAlertsToTheAlertmanager() throws Exception {
        assertThat(run(PROMETHEUS, "promtool", "prometheus", "check", "config", "prometheus.yml"))
                .contains("SUCCESS: prometheus.yml is valid");
        final JsonNode alerting = new YAMLMapper().readTree(PROMETHEUS.resolve("prometheus.yml").toFile()).path("alerting");
        assertThat(alerting.path("alertmanagers").path(0).path("static_configs").path(0).path("targets").path(0).asText())
                .isEqualTo("alertmanager:9093");
    }

    @Test
    void shouldAcceptTheRules() throws Exception {
        assertThat(run(PROMETHEUS, "promtool", "prometheus", "check", "rules", "rules/detector.yml")).contains("SUCCESS: 8 rules found");
    }

    @Test
    void shouldPassTheRulesUnitTests() throws Exception {
        assertThat(run(PROMETHEUS, "promtool", "prometheus", "test", "rules", "tests/detector_test.yml")).contains("SUCCESS");
    }

    @Test
    void shouldAcceptTheAlertmanagerConfiguration() throws Exception {
        assertThat(run(ROOT, "amtool", "prometheus-alertmanager", "check-config", ALERTMANAGER.toString()))
                .contains("SUCCESS").contains("3 receivers");
    }

    @Test
    void shouldRouteEveryRuleByItsSeverityToAWebhookThatTellsSomeone() throws Exception {
        // given every rule and its severity
        final Map<String, String> severities = ruleSeverities();
        assertThat(severities).hasSize(8);
        assertThat(new TreeSet<>(severities.values())).containsExactlyInAnyOrderElementsOf(RECEIVER_BY_SEVERITY.keySet());
        for (final Map.Entry<String, String> rule : severities.entrySet()) {
            // when Alertmanager routes an alert of that rule
            final List<String> receivers = run(ROOT, "amtool", "prometheus-alertmanager", "config", "routes", "test",
                    "--config.file=" + ALERTMANAGER, "alertname=" + rule.getKey(), "severity=" + rule.getValue())
                    .lines().filter(line -> !line.startsWith("Warning:")).toList();
            // then it reaches the receiver of its severity, and only that one
            assertThat(receivers).as(rule.getKey()).containsExactly(RECEIVER_BY_SEVERITY.get(rule.getValue()));
        }
        // and every receiver delivers somewhere: a webhook, resolved alerts too except for the daily analysts' digest
        final JsonNode receivers = new YAMLMapper().readTree(ALERTMANAGER.toFile()).path("receivers");
        assertThat(receivers).extracting(r -> r.path("name").asText()).containsExactlyInAnyOrderElementsOf(RECEIVER_BY_SEVERITY.values());
        assertThat(receivers).allSatisfy(r -> assertThat(r.path("webhook_configs").path(0).path("url").asText())
                .isEqualTo("http://alert-receiver:8080/" + r.path("name").asText()));
    }

    /** Alert name → its severity label, over every rule file. */
    private static Map<String, String> ruleSeverities() throws IOException {
        final Map<String, String> severities = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(PROMETHEUS.resolve("rules"))) {
            for (final Path file : files.sorted().toList()) {
                for (final JsonNode group : new YAMLMapper().readTree(file.toFile()).path("groups")) {
                    for (final JsonNode rule : group.path("rules")) {
                        severities.put(rule.path("alert").asText(), rule.path("labels").path("severity").asText());
                    }
                }
            }
        }
        return severities;
    }

    private static String run(final Path directory, final String binary, final String debianPackage, final String... args)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(RepositoryFiles.binary(binary, debianPackage)));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
