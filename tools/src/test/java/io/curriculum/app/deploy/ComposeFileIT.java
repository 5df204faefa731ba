package io.curriculum.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The docker-compose stack, checked statically (no Docker engine exists where the tests run): docker-compose 1.29
 * itself validates and normalises the file with the example secrets, and the normalised configuration must use the
 * repository's own files — the connector file the CDC tests run, the Prometheus configuration and the Alertmanager
 * routing the live check tests, the alert receiver, the Grafana provisioning — and the Kafka and Debezium versions
 * the Maven build uses.
 */
@Timeout(120)
class ComposeFileIT {

    private static final Path ROOT = repositoryRoot();
    private static final Set<String> SECRETS = Set.of("MYSQL_ROOT_PASSWORD", "CDC_DB_PASSWORD", "GRAFANA_ADMIN_PASSWORD",
            "KAFKA_BROKER_PASSWORD", "DETECTOR_SCRAM_PASSWORD", "REVIEWER_SCRAM_PASSWORD", "CONNECT_SCRAM_PASSWORD");
    private static final Set<String> ONE_SHOTS = Set.of("register-connector", "kafka-init", "tools");
    private static final Path INIT_SECURITY = Path.of("compose/kafka/init-security.sh");
    private static final String ACLS_BEGIN = "# BEGIN ACLS (generated from DetectorAcls by ComposeFileIT; do not edit by hand)\n";
    private static final String ACLS_END = "# END ACLS\n";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode services;

    @BeforeAll
    static void normaliseTheComposeFile() throws Exception {
        final Result config = dockerComposeConfig(exampleSecrets());
        assertThat(config.exitCode()).as("docker-compose config with the variables of secrets.env.example:\n%s", config.output()).isZero();
        services = YAML.readTree(config.stdout()).path("services");
        assertThat(services.isObject()).as(config.stdout()).isTrue();
    }

    @Test
    void shouldDefineTheWholeStack() {
        assertThat(fieldNames(services))
                .containsExactlyInAnyOrder("mysql", "kafka", "kafka-init", "connect", "register-connector", "detector", "tools", "prometheus", "alertmanager",
                        "alert-receiver", "grafana");
    }

    @Test
    void shouldPointOnlyToGuidesThatExist() throws Exception {
        final Matcher guide = Pattern.compile("[A-Za-z0-9_./-]+\\.md\\b").matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        final List<String> guides = new ArrayList<>();
        while (guide.find()) {
            guides.add(guide.group());
        }
        assertThat(guides).contains("docs/deploy.md").allSatisfy(path -> assertThat(ROOT.resolve(path)).isRegularFile());
    }

    @Test
    void shouldRefuseToStartWithoutTheSecrets() throws Exception {
        // given no secrets in the environment
        // when
        final Result config = dockerComposeConfig(Map.of());
        // then
        assertThat(config.exitCode()).isNotZero();
        assertThat(config.output()).contains("secrets.env.example");
    }

    @Test
    void shouldKeepOnlyVersionsAndPortsInTheCommittedEnvFileAndNoSecrets() throws Exception {
        final Map<String, String> env = envFile(ROOT.resolve(".env"));
        assertThat(env).isNotEmpty();
        assertThat(env.keySet()).allSatisfy(key -> assertThat(key).matches("[A-Z_]+_(VERSION|PORT)"));
        assertThat(exampleSecrets().keySet()).containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains("secrets.env");
        for (final String secret : SECRETS) {
            assertThat(Files.readString(ROOT.resolve("docker-compose.yml")))
                    .as("%s must be required, never defaulted", secret)
                    .contains("${" + secret + ":?");
        }
    }

    @Test
    void shouldPinEveryImageAndMatchTheMavenVersions() throws Exception {
        // given
        final Map<String, String> env = envFile(ROOT.resolve(".env"));
        final Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        final String kafkaVersion = pom.getElementsByTagName("kafka.version").item(0).getTextContent().trim();
        final String debeziumVersion = pom.getElementsByTagName("debezium.version").item(0).getTextContent().trim();
        // then
        assertThat(env).containsEntry("KAFKA_VERSION", kafkaVersion).containsEntry("DEBEZIUM_VERSION", debeziumVersion);
        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(services.path("connect").path("image").asText()).isEqualTo("quay.io/debezium/connect:" + debeziumVersion);
        for (final String name : fieldNames(services)) {
            final String image = services.path(name).path("image").asText();
            assertThat(image).as("image of %s", name).matches(".+:[^:/]+").doesNotEndWith(":latest");
        }
    }

    @Test
    void shouldMountAndBuildOnlyFilesThatExist() {
        int bindMounts = 0;
        for (final String name : fieldNames(services)) {
            for (final Mount mount : mounts(name)) {
                if (mount.isBind()) {
                    assertThat(Path.of(mount.source())).as("%s mounts %s", name, mount.source()).exists();
                    bindMounts++;
                }
            }
        }
        assertThat(bindMounts).isGreaterThanOrEqualTo(10);
        final JsonNode build = services.path("detector").path("build");
        final Path context = Path.of(build.path("context").asText());
        assertThat(context).isEqualTo(ROOT);
        assertThat(context.resolve(build.path("dockerfile").asText())).isRegularFile();
        assertThat(ROOT.resolve(".dockerignore")).isRegularFile();
    }

    @Test
    void shouldRegisterTheConnectorFileTheCdcTestsRun() throws Exception {
        // given the file the CDC end-to-end test runs
        final Path connectorFile = ROOT.resolve("connectors/mysql.json");
        assertThat(Files.readString(ROOT.resolve("tools/src/test/java/io/curriculum/app/cdc/CdcEndToEndIT.java")))
                .contains("Path.of(\"..\", \"connectors\")").contains("\"mysql.json\"");
        // then the registration mounts it and passes it to its script
        final JsonNode register = services.path("register-connector");
        final Map<Path, String> binds = binds("register-connector");
        assertThat(binds).containsKey(connectorFile);
        assertThat(texts(register.path("command"))).first().isEqualTo(binds.get(connectorFile));
        assertThat(texts(register.path("command"))).element(1).isEqualTo("http://connect:8083");
        assertThat(String.join(" ", texts(register.path("entrypoint"))))
                .endsWith(binds.get(ROOT.resolve("compose/register-connector.sh")));
        assertThat(register.path("depends_on").path("connect").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(register.path("depends_on").path("detector").path("condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void shouldPutExactlyTheConnectorFilesConfigObject() throws Exception {
        // given
        final JsonNode file = JSON.readTree(ROOT.resolve("connectors/mysql.json").toFile());
        // when the registration script extracts what it PUTs (without jq)
        final Result printed = run(List.of("sh", ROOT.resolve("compose/register-connector.sh").toString(), "--print",
                ROOT.resolve("connectors/mysql.json").toString()), Map.of());
        // then
        assertThat(printed.exitCode()).as(printed.output()).isZero();
        final String[] lines = printed.stdout().split("\n", 2);
        assertThat(lines[0]).isEqualTo(file.path("name").asText());
        assertThat(JSON.readTree(lines[1])).isEqualTo(file.path("config"));
    }

    @Test
    void shouldGiveConnectTheEnvConfigProviderAndEveryVariableTheConnectorFileReads() throws Exception {
        // given
        final JsonNode environment = services.path("connect").path("environment");
        final String connector = Files.readString(ROOT.resolve("connectors/mysql.json"));
        final Matcher reference = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}").matcher(connector);
        final Set<String> variables = new TreeSet<>();
        while (reference.find()) {
            variables.add(reference.group(1));
        }
        // then
        assertThat(variables).contains("CDC_DB_HOST", "CDC_DB_PORT", "CDC_DB_USER", "CDC_DB_PASSWORD", "CDC_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(variables).allSatisfy(variable -> assertThat(environment.path(variable).asText()).as(variable).isNotBlank());
        assertThat(environment.path("CONNECT_CONFIG_PROVIDERS").asText()).isEqualTo("env");
        assertThat(environment.path("CONNECT_CONFIG_PROVIDERS_ENV_CLASS").asText())
                .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(environment.path("CDC_DB_HOST").asText()).isEqualTo("mysql");
        assertThat(environment.path("CDC_DB_USER").asText()).isEqualTo("debezium");
    }

    @Test
    void shouldInitialiseMySqlWithTheCommittedSchemaGrantsAndCohorts() {
        final JsonNode mysql = services.path("mysql");
        assertThat(texts(mysql.path("command")))
                .contains("--binlog-format=ROW", "--binlog-row-image=FULL", "--secure-file-priv=/var/lib/mysql-files")
                .anySatisfy(option -> assertThat(option).startsWith("--server-id="));
        final Map<Path, String> binds = binds("mysql");
        assertThat(binds).containsEntry(ROOT.resolve("connectors/schema.sql"), "/docker-entrypoint-initdb.d/10-schema.sql")
                .containsEntry(ROOT.resolve("compose/mysql/20-grants.sh"), "/docker-entrypoint-initdb.d/20-grants.sh")
                .containsEntry(ROOT.resolve("compose/mysql/30-cohorts.sql"), "/docker-entrypoint-initdb.d/30-cohorts.sql")
                .containsEntry(ROOT.resolve("tools/src/main/resources/cohorts.csv"), "/var/lib/mysql-files/cohorts.csv");
        assertThat(binds.get(ROOT.resolve("connectors/grants.sql"))).isNotNull();
        assertThat(ROOT.resolve("compose/mysql/20-grants.sh")).isExecutable().content().contains(binds.get(ROOT.resolve("connectors/grants.sql")));
    }

    @Test
    void shouldMountThePrometheusConfigurationTheLiveCheckTests() throws Exception {
        // given the live check copies the committed prometheus/prometheus.yml
        assertThat(Files.readString(ROOT.resolve("tools/src/test/java/io/curriculum/app/observability/LiveCheckIT.java")))
                .contains("committed.resolve(\"prometheus.yml\")");
        // then compose mounts that directory and starts Prometheus on that file
        final JsonNode prometheus = services.path("prometheus");
        assertThat(binds("prometheus")).containsEntry(ROOT.resolve("prometheus"), "/etc/prometheus");
        assertThat(texts(prometheus.path("command"))).contains("--config.file=/etc/prometheus/prometheus.yml");
        // and its detector job finds every replica by DNS on the port the detector serves metrics on, on every interface
        final JsonNode job = StreamSupport.stream(YAML.readTree(ROOT.resolve("prometheus/prometheus.yml").toFile())
                .path("scrape_configs").spliterator(), false)
                .filter(scrape -> scrape.path("job_name").asText().equals("detector")).findFirst().orElseThrow();
        final JsonNode dns = job.path("dns_sd_configs").path(0);
        assertThat(texts(dns.path("names"))).containsExactly("detector");
        assertThat(dns.path("type").asText()).isEqualTo("A");
        final List<String> run = texts(services.path("detector").path("command"));
        assertThat(run.get(run.indexOf("--metrics-port") + 1)).isEqualTo(dns.path("port").asText());
        assertThat(run.get(run.indexOf("--metrics-address") + 1)).isEqualTo("0.0.0.0");
        assertThat(texts(job.path("file_sd_configs").path(0).path("files"))).containsExactly("targets/*.json");
        assertThat(JSON.readTree(ROOT.resolve("prometheus/targets/detector.json").toFile()).isEmpty()).isTrue();
    }

    @Test
    void shouldMountTheCommittedGrafanaProvisioning() throws Exception {
        // given
        final Map<Path, String> binds = binds("grafana");
        final JsonNode provider = YAML.readTree(ROOT.resolve("grafana/provisioning/dashboards/dashboards.yml").toFile())
                .path("providers").path(0);
        final JsonNode datasource = YAML.readTree(ROOT.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").path(0);
        // then
        assertThat(binds).containsEntry(ROOT.resolve("grafana/provisioning"), "/etc/grafana/provisioning")
                .containsEntry(ROOT.resolve("grafana/dashboards"), provider.path("options").path("path").asText());
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(services.has("prometheus")).isTrue();
    }

    @Test
    void shouldScaleTheDetectorOut() {
        final JsonNode detector = services.path("detector");
        assertThat(detector.has("container_name")).isFalse();
        final List<String> run = texts(detector.path("command"));
        assertThat(run.get(0)).isEqualTo("run");
        assertThat(Integer.parseInt(run.get(run.indexOf("--partitions") + 1))).isGreaterThanOrEqualTo(3);
        assertThat(run.get(run.indexOf("--bootstrap-servers") + 1)).isEqualTo("kafka:9092");
        assertThat(mounts("detector")).as("state stays inside each container").isEmpty();
        assertThat(detector.path("environment").path("DETECTOR_INPUT_KEYED_BY_IP").asText()).isEqualTo("true");
    }

    @Test
    void shouldServeTheApiOfEveryReplicaOnItsOwnAddressAndHostPort() throws Exception {
        // given
        final JsonNode detector = services.path("detector");
        final List<String> run = texts(detector.path("command"));
        // then each replica listens on every interface and advertises its own container address (the default):
        // no fixed application.server, which every replica would share
        assertThat(run.get(run.indexOf("--api-address") + 1)).isEqualTo("0.0.0.0");
        assertThat(run).doesNotContain("--api-advertised-host", "--no-api");
        assertThat(detector.path("environment").has("DETECTOR_KAFKA_APPLICATION_SERVER")).isFalse();
        // and the host reaches them on a range of loopback ports, one per replica, as many as there are partitions
        final List<String> ports = texts(detector.path("ports"));
        assertThat(ports).hasSize(1);
        final Matcher published = Pattern.compile("127\\.0\\.0\\.1:(\\d+)-(\\d+):(\\d+)/tcp").matcher(ports.get(0));
        assertThat(published.matches()).as(ports.get(0)).isTrue();
        assertThat(published.group(3)).isEqualTo(run.get(run.indexOf("--api-port") + 1));
        final Map<String, String> env = envFile(ROOT.resolve(".env"));
        assertThat(published.group(1)).isEqualTo(env.get("API_PORT"));
        assertThat(published.group(2)).isEqualTo(env.get("API_LAST_PORT"));
        assertThat(Integer.parseInt(published.group(2)) - Integer.parseInt(published.group(1)) + 1)
                .isEqualTo(Integer.parseInt(run.get(run.indexOf("--partitions") + 1)));
    }

    @Test
    void shouldDeliverAlertsFromPrometheusThroughTheAlertmanagerToTheReceiver() throws Exception {
        // given the committed routing, whose webhooks name the receiver's service and port
        final JsonNode routing = YAML.readTree(ROOT.resolve("alertmanager/alertmanager.yml").toFile());
        final List<String> receiverCommand = texts(services.path("alert-receiver").path("command"));
        assertThat(binds("alert-receiver")).containsEntry(ROOT.resolve("compose/alert-receiver/receiver.py"), receiverCommand.get(1));
        routing.path("receivers").forEach(receiver -> assertThat(receiver.path("webhook_configs").path(0).path("url").asText())
                .startsWith("http://alert-receiver:" + receiverCommand.get(2) + "/"));
        // then compose runs that Alertmanager on that file, where Prometheus sends its alerts
        final JsonNode alertmanager = services.path("alertmanager");
        assertThat(binds("alertmanager")).containsEntry(ROOT.resolve("alertmanager"), "/etc/alertmanager");
        assertThat(texts(alertmanager.path("command"))).contains("--config.file=/etc/alertmanager/alertmanager.yml");
        final JsonNode prometheus = YAML.readTree(ROOT.resolve("prometheus/prometheus.yml").toFile());
        assertThat(texts(prometheus.path("alerting").path("alertmanagers").path(0).path("static_configs").path(0).path("targets")))
                .containsExactly("alertmanager:9093");
        assertThat(alertmanager.path("depends_on").path("alert-receiver").path("condition").asText()).isEqualTo("service_healthy");
        // and Grafana shows that Alertmanager, with no alert rules of its own beside the Prometheus ones
        final JsonNode datasources = YAML.readTree(ROOT.resolve("grafana/provisioning/datasources/prometheus.yml").toFile()).path("datasources");
        assertThat(datasources).anySatisfy(datasource -> {
            assertThat(datasource.path("type").asText()).isEqualTo("alertmanager");
            assertThat(datasource.path("url").asText()).isEqualTo("http://alertmanager:9093");
        });
        assertThat(ROOT.resolve("grafana/provisioning/alerting")).doesNotExist();
    }

    @Test
    void shouldCheckTheHealthOfEveryLongRunningServiceAndWaitForIt() {
        for (final String name : fieldNames(services)) {
            final JsonNode service = services.path(name);
            if (ONE_SHOTS.contains(name)) {
                assertThat(service.path("restart").asText()).as("one-shot %s", name).isEqualTo("no");
            } else {
                assertThat(service.path("healthcheck").path("test").isArray()).as("healthcheck of %s", name).isTrue();
            }
            service.path("depends_on").fields().forEachRemaining(dependency -> {
                if (ONE_SHOTS.contains(dependency.getKey())) {
                    assertThat(dependency.getValue().path("condition").asText()).as("%s waits for %s", name, dependency.getKey())
                            .isEqualTo("service_completed_successfully");
                } else {
                    assertThat(dependency.getValue().path("condition").asText()).as("%s waits for %s", name, dependency.getKey())
                            .isEqualTo("service_healthy");
                    assertThat(services.path(dependency.getKey()).path("healthcheck").isObject()).isTrue();
                }
            });
        }
    }

    @Test
    void shouldSecureKafkaWithScramListenersAndTheStandardAuthorizer() {
        // given
        final JsonNode kafka = services.path("kafka").path("environment");
        // then every listener authenticates, clients with SCRAM-SHA-256, and nothing is allowed without an ACL
        assertThat(kafka.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText().split(","))
                .allSatisfy(listener -> assertThat(listener).endsWith(":SASL_PLAINTEXT"));
        assertThat(kafka.path("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS").asText()).isEqualTo("SCRAM-SHA-256");
        assertThat(kafka.path("KAFKA_LISTENER_NAME_HOST_SASL_ENABLED_MECHANISMS").asText()).isEqualTo("SCRAM-SHA-256");
        assertThat(kafka.path("KAFKA_AUTHORIZER_CLASS_NAME").asText()).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(kafka.path("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND").asText()).isEqualTo("false");
        assertThat(kafka.path("KAFKA_SUPER_USERS").asText()).isEqualTo("User:broker");
        assertThat(kafka.path("KAFKA_LISTENER_NAME_BROKER_PLAIN_SASL_JAAS_CONFIG").asText())
                .contains("username=\"broker\" password=\"change-me-broker\"");
        // and the one-shot kafka-init runs the committed script with the principals' passwords
        final JsonNode init = services.path("kafka-init");
        assertThat(String.join(" ", texts(init.path("entrypoint")))).endsWith(binds("kafka-init").get(ROOT.resolve("compose/kafka")) + "/init-security.sh");
        assertThat(fieldNames(init.path("environment")))
                .contains("BROKER_PASSWORD", "DETECTOR_SCRAM_PASSWORD", "REVIEWER_SCRAM_PASSWORD", "CONNECT_SCRAM_PASSWORD");
    }

    @Test
    void shouldAuthenticateTheDetectorAndConnectAsTheirOwnPrincipals() {
        // given
        final JsonNode detector = services.path("detector").path("environment");
        final JsonNode connect = services.path("connect").path("environment");
        // then the detector's clients (all of them: DETECTOR_KAFKA_* reach every client of run) are User:detector
        assertThat(detector.path("DETECTOR_KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_PLAINTEXT");
        assertThat(detector.path("DETECTOR_KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-256");
        assertThat(detector.path("DETECTOR_KAFKA_SASL_JAAS_CONFIG").asText()).contains("username=\"detector\" password=\"change-me-detector\"");
        // and the Connect worker, its clients and Debezium's schema history clients are User:connect
        for (final String prefix : List.of("CONNECT_", "CONNECT_PRODUCER_", "CONNECT_CONSUMER_", "CONNECT_ADMIN_", "CDC_KAFKA_")) {
            assertThat(connect.path(prefix + "SECURITY_PROTOCOL").asText()).as(prefix).isEqualTo("SASL_PLAINTEXT");
            assertThat(connect.path(prefix + "SASL_MECHANISM").asText()).as(prefix).isEqualTo("SCRAM-SHA-256");
            assertThat(connect.path(prefix + "SASL_JAAS_CONFIG").asText()).as(prefix)
                    .contains("username=\"connect\" password=\"change-me-connect\"");
        }
    }

    @Test
    void shouldKeepThePasswordsOutOfTheComposeFileAndTheScripts() throws Exception {
        // given the placeholder values of secrets.env.example
        final String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        final String init = Files.readString(ROOT.resolve(INIT_SECURITY));
        // then none is written anywhere but the example
        for (final String placeholder : exampleSecrets().values()) {
            assertThat(compose).doesNotContain(placeholder);
            assertThat(init).doesNotContain(placeholder);
        }
    }

    @Test
    void shouldGrantInKafkaInitExactlyTheAclsOfDetectorAcls() throws Exception {
        // given the ACLs DetectorAcls builds for the stack's principals, as kafka-acls lines
        final String expected = ComposeAcls.script(ComposeAcls.forStack(ROOT, services.path("connect").path("environment").path("GROUP_ID").asText()));
        final Path generated = ROOT.resolve("tools/target/compose-acls.sh");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, ACLS_BEGIN + expected + ACLS_END);
        // when
        final String script = Files.readString(ROOT.resolve(INIT_SECURITY));
        final int begin = script.indexOf(ACLS_BEGIN);
        final int end = script.indexOf(ACLS_END);
        assertThat(begin).as("%s has the line %s", INIT_SECURITY, ACLS_BEGIN.trim()).isNotNegative();
        assertThat(end).as("%s has the line %s", INIT_SECURITY, ACLS_END.trim()).isGreaterThan(begin);
        // then
        assertThat(script.substring(begin + ACLS_BEGIN.length(), end))
                .as("the ACL block of %s has drifted from DetectorAcls: replace it (from %s to %s) with the block ComposeFileIT "
                        + "generated in %s", INIT_SECURITY, ACLS_BEGIN.trim(), ACLS_END.trim(), ROOT.relativize(generated))
                .isEqualTo(expected);
        assertThat(expected).contains("--allow-principal User:detector", "--allow-principal User:reviewer", "--allow-principal User:connect");
    }

    @Test
    void shouldCreateEveryUserAndGrantEveryAclLineThroughKafkasTools(@TempDir final Path dir) throws Exception {
        // given stand-ins for kafka-configs.sh and kafka-acls.sh that record their arguments
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        final Path calls = dir.resolve("calls.txt");
        for (final String tool : List.of("kafka-configs.sh", "kafka-acls.sh")) {
            final Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >> \"" + calls + "\"\n");
            assertThat(stub.toFile().setExecutable(true)).isTrue();
        }
        final Map<String, String> environment = new HashMap<>(Map.of("KAFKA_BIN", bin.toString(),
                "BROKER_CLIENT_CONFIG", dir.resolve("broker.properties").toString(), "BROKER_PASSWORD", "broker-pw",
                "DETECTOR_SCRAM_PASSWORD", "detector-pw", "REVIEWER_SCRAM_PASSWORD", "reviewer-pw", "CONNECT_SCRAM_PASSWORD", "connect-pw"));
        // when the script runs
        final Result result = run(List.of("sh", ROOT.resolve(INIT_SECURITY).toString()), environment);
        // then it creates the three users and grants each line of the block, as the broker's super user
        assertThat(result.exitCode()).as(result.output()).isZero();
        final List<String> lines = Files.readAllLines(calls);
        assertThat(lines).filteredOn(line -> line.startsWith("kafka-configs.sh")).hasSize(3)
                .anySatisfy(line -> assertThat(line).contains("--entity-name detector --add-config SCRAM-SHA-256=[password=detector-pw]"))
                .anySatisfy(line -> assertThat(line).contains("--entity-name reviewer --add-config SCRAM-SHA-256=[password=reviewer-pw]"))
                .anySatisfy(line -> assertThat(line).contains("--entity-name connect --add-config SCRAM-SHA-256=[password=connect-pw]"));
        final List<String> acls = lines.stream().filter(line -> line.startsWith("kafka-acls.sh")).toList();
        assertThat(acls).hasSize(ComposeAcls.script(ComposeAcls.forStack(ROOT, "curriculum-connect")).split("\n").length)
                .allSatisfy(line -> assertThat(line).contains("--bootstrap-server kafka:9094 --command-config " + dir.resolve("broker.properties"))
                        .contains(" --add --force --allow-principal User:"));
        assertThat(Files.readString(dir.resolve("broker.properties"))).contains("username=\"broker\" password=\"broker-pw\"");

        // and a password that kafka-configs would split is refused, naming its variable, before its user is created
        Files.delete(calls);
        environment.put("REVIEWER_SCRAM_PASSWORD", "a,b]");
        final Result refused = run(List.of("sh", ROOT.resolve(INIT_SECURITY).toString()), environment);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("REVIEWER_SCRAM_PASSWORD: use letters, digits");
        assertThat(Files.readAllLines(calls)).hasSize(1).allSatisfy(line -> assertThat(line).contains("--entity-name detector"));
    }

    // ---- helpers

    private record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    /** One volume of the normalised configuration: "source:target[:mode]", a bind when the source is a path. */
    private record Mount(String source, String target) {
        boolean isBind() {
            return source.startsWith("/");
        }
    }

    private static List<Mount> mounts(final String service) {
        final List<Mount> mounts = new ArrayList<>();
        for (final String volume : texts(services.path(service).path("volumes"))) {
            final String[] parts = volume.split(":");
            assertThat(parts.length).as(volume).isBetween(2, 3);
            mounts.add(new Mount(parts[0], parts[1]));
        }
        return mounts;
    }

    /** Host path → container path of each bind mount of {@code service}. */
    private static Map<Path, String> binds(final String service) {
        final Map<Path, String> binds = new HashMap<>();
        mounts(service).stream().filter(Mount::isBind).forEach(mount -> binds.put(Path.of(mount.source()), mount.target()));
        return binds;
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static List<String> fieldNames(final JsonNode object) {
        final List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, String> exampleSecrets() throws IOException {
        return envFile(ROOT.resolve("secrets.env.example"));
    }

    /** KEY=VALUE lines; comments and blank lines skipped. */
    private static Map<String, String> envFile(final Path file) throws IOException {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(file)) {
            final String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                final int equals = trimmed.indexOf('=');
                assertThat(equals).as("%s: %s", file, line).isPositive();
                values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
        }
        return values;
    }

    /** {@code docker-compose config} in the repository root, with {@code secrets} and no other of the secret variables. */
    private static Result dockerComposeConfig(final Map<String, String> secrets) throws IOException, InterruptedException {
        final Path binary = Path.of("/usr/bin/docker-compose");
        assertThat(Files.isExecutable(binary))
                .as("docker-compose is not installed: apt-get install -y --no-install-recommends docker-compose (.ci/run installs it)")
                .isTrue();
        return run(List.of(binary.toString(), "--project-directory", ROOT.toString(), "--file",
                ROOT.resolve("docker-compose.yml").toString(), "config"), secrets);
    }

    private static Result run(final List<String> command, final Map<String, String> environment)
            throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().keySet().removeIf(key -> SECRETS.contains(key) || key.startsWith("COMPOSE_"));
        builder.environment().putAll(environment);
        final Path stderr = Files.createTempFile("compose-test", ".err");
        try {
            final Process process = builder.redirectError(stderr.toFile()).start();
            final String stdout;
            try (InputStream in = process.getInputStream()) {
                stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            return new Result(process.exitValue(), stdout, Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
