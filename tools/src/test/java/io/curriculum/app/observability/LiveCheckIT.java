package io.curriculum.app.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.curriculum.tools.cli.Launcher;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observability surface against a live system: the demo (its own JVM, embedded broker, detector, metrics
 * endpoint) scraped by a real Prometheus server running the committed configuration and rules, which sends its
 * alerts to a real Alertmanager running the committed routing, which notifies the stack's webhook receiver. Every
 * PromQL expression of every Grafana dashboard panel and Prometheus rule must parse and return data, and the demo's
 * injected scrapers must make the machine-speed alert fire and reach the operators' receiver.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class LiveCheckIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "inf", "nan");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws InterruptedException {
        for (final Process process : processes) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldAnswerEveryDashboardAndRuleExpressionAndDeliverTheMachineSpeedAlert() throws Exception {
        // given the webhook receiver, and Alertmanager with the committed routing, its webhooks pointed at the receiver
        final Path receiverLog = dir.resolve("receiver.log");
        final int receiverPort = freePort();
        start(receiverLog, RepositoryFiles.binary("python3", "python3"),
                RepositoryFiles.root().resolve("compose/alert-receiver/receiver.py").toString(), String.valueOf(receiverPort));
        final int alertmanagerPort = freePort();
        final Path routing = dir.resolve("alertmanager.yml");
        Files.writeString(routing, replace(Files.readString(RepositoryFiles.root().resolve("alertmanager/alertmanager.yml")),
                "http://alert-receiver:8080/", "http://127.0.0.1:" + receiverPort + "/"));
        start(dir.resolve("alertmanager.log"), RepositoryFiles.binary("prometheus-alertmanager", "prometheus-alertmanager"),
                "--config.file=" + routing, "--storage.path=" + dir.resolve("alertmanager"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=");

        // and Prometheus with the committed configuration and rules, pointed at the demo's metrics port and that Alertmanager
        final int metricsPort = freePort();
        final int prometheusPort = freePort();
        final Path config = dir.resolve("prometheus");
        final Path committed = RepositoryFiles.root().resolve("prometheus");
        Files.createDirectories(config.resolve("rules"));
        Files.createDirectories(config.resolve("targets"));
        Files.writeString(config.resolve("prometheus.yml"), replace(Files.readString(committed.resolve("prometheus.yml")),
                "alertmanager:9093", "127.0.0.1:" + alertmanagerPort));
        try (Stream<Path> rules = Files.list(committed.resolve("rules"))) {
            for (final Path rule : rules.toList()) {
                Files.copy(rule, config.resolve("rules").resolve(rule.getFileName()));
            }
        }
        Files.writeString(config.resolve("targets/detector.json"), "[{\"targets\":[\"127.0.0.1:" + metricsPort + "\"]}]");
        start(dir.resolve("prometheus.log"), RepositoryFiles.binary("prometheus", "prometheus"),
                "--config.file=" + config.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort);
        final String prometheus = "http://127.0.0.1:" + prometheusPort;

        // when the demo replays a generated history paced (so Prometheus sees the counters before the scrapers come)
        final Path demoLog = dir.resolve("demo.log");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process demo = start(demoLog, java, "-Xmx768m", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                "demo", "--rows", "20000", "--days", "42", "--speed", "50000", "--metrics-port", String.valueOf(metricsPort), "--api-port", "0",
                "--kafka-port", "0", "--data-dir", dir.resolve("demo").toString(), "--no-band-alerts");

        // then the machine-speed alert fires in Prometheus
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(demo.isAlive()).as(() -> read(demoLog)).isTrue();
            final JsonNode alerts = get(prometheus + "/api/v1/alerts").path("data").path("alerts");
            assertThat(alerts).as(alerts.toString()).anySatisfy(alert -> {
                assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("DetectorMachineSpeedAccess");
                assertThat(alert.path("state").asText()).isEqualTo("firing");
            });
        });

        // and once the replay is done, every expression parses and returns data
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                .until(() -> read(demoLog).contains("The detector and the broker stay up"));
        final Map<String, String> dashboards = dashboardExpressions();
        final Map<String, String> rules = ruleExpressions();
        assertThat(dashboards).as("dashboard panels").isNotEmpty();
        assertThat(rules).as("alert rules").hasSizeGreaterThanOrEqualTo(8);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (final Map.Entry<String, String> panel : dashboards.entrySet()) {
                assertThat(query(prometheus, panel.getValue())).as(panel.getKey() + ": " + panel.getValue()).isNotEmpty();
            }
            for (final Map.Entry<String, String> rule : rules.entrySet()) {
                query(prometheus, rule.getValue()); // parses (an alert's condition is empty while it does not hold)
                for (final String metric : metricNames(rule.getValue())) {
                    assertThat(query(prometheus, metric)).as(rule.getKey() + " reads " + metric).isNotEmpty();
                }
            }
        });

        // and Alertmanager has routed the machine-speed alert (severity warning) to the operators' webhook
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(read(receiverLog)).as(() -> read(dir.resolve("alertmanager.log")))
                        .containsPattern("operators FIRING warning DetectorMachineSpeedAccess rule=(burst|crawl) scope=(ip|client) - Machine-speed access"));
    }

    private Process start(final Path log, final String... command) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    /** {@code text} with {@code committed} replaced, which it must contain. */
    private static String replace(final String text, final String committed, final String local) {
        assertThat(text).contains(committed);
        return text.replace(committed, local);
    }

    /** Every panel target of every dashboard, by "file / panel title / refId". */
    private static Map<String, String> dashboardExpressions() throws IOException {
        final Map<String, String> expressions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(RepositoryFiles.root().resolve("grafana/dashboards"))) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                collectPanels(JSON.readTree(file.toFile()).path("panels"), file.getFileName().toString(), expressions);
            }
        }
        return expressions;
    }

    private static void collectPanels(final JsonNode panels, final String file, final Map<String, String> expressions) {
        for (final JsonNode panel : panels) {
            collectPanels(panel.path("panels"), file, expressions);
            for (final JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.put(file + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                            target.path("expr").asText());
                }
            }
        }
    }

    /** Every Prometheus alerting rule (Grafana provisions none). */
    private static Map<String, String> ruleExpressions() throws IOException {
        final YAMLMapper yaml = new YAMLMapper();
        final Map<String, String> expressions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(RepositoryFiles.root().resolve("prometheus/rules"))) {
            for (final Path file : files.sorted().toList()) {
                for (final JsonNode group : yaml.readTree(file.toFile()).path("groups")) {
                    for (final JsonNode rule : group.path("rules")) {
                        expressions.put("prometheus " + rule.path("alert").asText(), rule.path("expr").asText());
                    }
                }
            }
        }
        return expressions;
    }

    /** The metric names an expression reads: identifiers outside label matchers, grouping clauses and strings. */
    static Set<String> metricNames(final String expression) {
        final String stripped = expression
                .replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("\\[[^]]*]", "");
        final Set<String> names = new LinkedHashSet<>();
        final Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            final String word = matcher.group();
            final String rest = stripped.substring(matcher.end()).stripLeading();
            if (!KEYWORDS.contains(word.toLowerCase()) && !rest.startsWith("(")) {
                names.add(word);
            }
        }
        return names;
    }

    private JsonNode query(final String prometheus, final String expression) throws Exception {
        final String promql = expression.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h");
        final JsonNode response = get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(response.path("status").asText()).as(promql + " -> " + response).isEqualTo("success");
        return response.path("data").path("result");
    }

    private JsonNode get(final String url) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
