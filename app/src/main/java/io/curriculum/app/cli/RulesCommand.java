package io.curriculum.app.cli;

import io.curriculum.app.runtime.KafkaUnavailableException;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.Setting;
import io.curriculum.detector.rules.InvalidRuleException;
import io.curriculum.detector.rules.RuleId;
import io.curriculum.detector.rules.RuleRecord;
import io.curriculum.detector.rules.RuleSet;
import io.curriculum.detector.rules.RulesFile;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.topology.Topic;
import io.curriculum.detector.topology.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rules}: tune the running detector's rules without a restart, through the compacted rules topic
 * ({@code publish}), and see what is in force ({@code show}). Both talk to a cluster that runs a detector: they never start
 * an embedded broker (the default address is the embedded default's, 127.0.0.1:9092 as {@code run} starts it).
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {
                "Tunes the running detector's rules without a restart, and shows the rules in force.",
                "",
                "What a rule record may set: the thresholds and windows of the machine-speed rules, the band parameters, the "
                        + "allowlist and extra calendar days.",
                "",
                "A rule record is JSON keyed by its rule id (machine-speed, lesson-band, allowlist, calendar) on the compacted "
                        + "rules topic (detector.topic.rules, default curriculum.detector.rules): {\"version\": N, \"settings\": "
                        + "{detector.* keys}, \"simulate\": true|false, \"days\": [...], \"note\": \"...\"}. The detector validates "
                        + "each one: a valid record is in force from the next record the detector processes, an invalid one goes to "
                        + "the dead-letter topic (reason invalid-rule) and the version in force stays. A key a record leaves out keeps "
                        + "the configuration's value; the configuration is version 0 of every rule. Every alert names the rule id and "
                        + "version that raised it (ruleId, ruleVersion).",
                "",
                "The commands use --bootstrap-servers (or bootstrap.servers in --config/--client-config, or "
                        + "DETECTOR_KAFKA_BOOTSTRAP_SERVERS), default localhost:9092: the embedded broker 'run' starts."},
        subcommands = {RulesCommand.Publish.class, RulesCommand.Show.class, CommandLine.HelpCommand.class})
public final class RulesCommand implements Runnable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a rules command is required: publish or show");
    }

    /** Where the cluster is and the detector's configuration, for both rules commands. */
    static final class Connection {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                description = "Kafka cluster of the running detector. Default: bootstrap.servers of --config/--client-config, "
                        + "else localhost:9092.")
        String bootstrapServers;

        @Option(names = "--client-config", paramLabel = "FILE",
                description = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...), passed to every client unchanged.")
        Path clientConfig;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Detector properties, as the running detector has them: its detector.* values are the defaults the "
                        + "rules are validated against and merged with, and its topic names are used.")
        Path config;

        DetectorConfig detectorConfig() {
            final Properties properties = new Properties();
            if (config != null) {
                properties.putAll(KafkaOptions.load(config, "--config"));
            }
            properties.putAll(client());
            if (bootstrapServers != null) {
                properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            }
            return DetectorConfig.from(properties, System.getenv());
        }

        /** The client settings with the cluster's address, probed: an unreachable cluster fails here, with a message. */
        Properties reachableClient(final DetectorConfig detector) {
            final Properties client = client();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.valueOf(detector.streamsProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)));
            Cluster.probe(client);
            return client;
        }

        private Properties client() {
            return clientConfig == null ? new Properties() : KafkaOptions.load(clientConfig, "--client-config");
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {
                    "Validates a rules file and publishes its records on the rules topic, one per rule id.",
                    "",
                    "FILE is a JSON object of rule records by rule id, e.g. {\"machine-speed\": {\"version\": 2, \"settings\": "
                            + "{\"detector.burst.min-distinct-pages\": 25}}, \"allowlist\": {\"version\": 1, \"settings\": "
                            + "{\"detector.allowlist\": \"10.0.0.0/8\"}}}. Keys per rule: machine-speed: detector.burst.* and "
                            + "detector.crawl.*; lesson-band: detector.band.k, .min-effect, .model, .min-mean, .min-history; allowlist: "
                            + "detector.allowlist; calendar: detector.band.holidays and \"days\" (2026-03-09 or 2026-03-09..2026-03-13). "
                            + "\"simulate\": true (machine-speed, lesson-band) sends the rule's alerts to the simulation topic "
                            + "(detector.topic.simulated) instead of the live one.",
                    "",
                    "The whole file is validated against the configuration (--config, DETECTOR_* variables) before anything is "
                            + "published: an error names the line and the key, and nothing is published (exit 2). --check validates only."})
    public static final class Publish implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Rules file (JSON) to publish.")
        private Path file;

        @Option(names = "--check", description = "Validate the file and print what it would put in force, without publishing.")
        private boolean check;

        @Mixin
        private Connection connection;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final DetectorConfig config = connection.detectorConfig();
            final RulesFile rules = read(file, config);
            if (check) {
                for (final RuleRecord record : rules.records().values()) {
                    out.println(file + ": " + describe(record) + ": valid");
                }
                out.flush();
                return 0;
            }
            final Properties client = connection.reachableClient(config);
            final Topic<String, byte[]> topic = Topics.of(config.topics()).rules();
            try (Admin admin = Admin.create(client)) {
                TopicSetup.ensure(admin, Map.of(topic.name(), topic.configs()), 1);
            }
            final Properties producerProps = new Properties();
            producerProps.putAll(client);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
            producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
                for (final Map.Entry<RuleId, RuleRecord> entry : rules.records().entrySet()) {
                    final byte[] value = JsonSerde.MAPPER.writeValueAsBytes(rules.json(entry.getKey()));
                    final RecordMetadata sent;
                    try {
                        sent = producer.send(new ProducerRecord<>(topic.name(), entry.getKey().id(), value)).get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
                    } catch (final ExecutionException | TimeoutException e) {
                        throw new KafkaUnavailableException("cannot publish rule " + entry.getKey().id() + " to " + topic.name() + ": "
                                + (e.getCause() == null ? e : e.getCause()), e);
                    }
                    out.println("published " + describe(entry.getValue()) + " to " + topic.name() + " (partition " + sent.partition()
                            + ", offset " + sent.offset() + ")");
                }
            }
            out.println("the detector puts each in force from its next record; 'detector rules show' prints what is in force, "
                    + "the dead-letter topic (" + config.topics().deadLetter() + ") any record it refused");
            out.flush();
            return 0;
        }

        /** A rules file, validated against {@code config}; anything wrong with it is a usage error naming the line and key. */
        public static RulesFile read(final Path file, final DetectorConfig config) {
            try {
                return RulesFile.read(file, config);
            } catch (final NoSuchFileException e) {
                throw new UsageException(file + ": no such file");
            } catch (final IOException e) {
                throw new UsageException(file + ": cannot read it: " + e.getMessage());
            } catch (final RulesFile.InvalidRulesFileException e) {
                throw new UsageException(e.getMessage() + "; nothing was published");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {
                    "Prints the rules in force: the records the detector accepted (the rules-in-force topic, its latest record per "
                            + "rule), merged with the configuration's values (--config, DETECTOR_* variables: pass the detector's own).",
                    "",
                    "For each rule its version (0: the configuration's values), whether it is simulated, and every key's value with "
                            + "where it comes from. A record the detector has not read yet (it is not running) is not shown."})
    static final class Show implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private Connection connection;

        @Option(names = "--json", description = "Print the rules in force as one JSON document instead of text.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final DetectorConfig config = connection.detectorConfig();
            final Properties client = connection.reachableClient(config);
            final String topic = config.topics().rulesInForce();
            RuleSet rules = RuleSet.defaults(config);
            for (final Map.Entry<String, byte[]> latest : latest(client, topic).entrySet()) {
                final RuleId rule = RuleId.of(latest.getKey());
                if (rule == null) {
                    continue;
                }
                if (latest.getValue() == null) {
                    rules = rules.without(rule);
                    continue;
                }
                try {
                    rules = rules.with(RuleRecord.parse(latest.getKey(), latest.getValue()));
                } catch (final InvalidRuleException e) {
                    spec.commandLine().getErr().println("rules show: the record of " + rule.id() + " on " + topic
                            + " is not valid for this configuration (" + e.getMessage() + "): shown with the configuration's values");
                }
            }
            if (json) {
                out.println(JsonSerde.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(asJson(rules)));
            } else {
                print(rules, topic, out);
            }
            out.flush();
            return 0;
        }

        /** The latest record of every key of a (compacted) topic, read from its start to its end now. */
        private static Map<String, byte[]> latest(final Properties client, final String topic) {
            final Properties props = new Properties();
            props.putAll(client);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            final Map<String, byte[]> latest = new HashMap<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                final List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                if (partitions.isEmpty()) {
                    return latest;
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                final long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new KafkaUnavailableException("cannot read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s", null);
                    }
                    for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        latest.put(record.key(), record.value());
                    }
                }
            }
            return latest;
        }

        private static void print(final RuleSet rules, final String topic, final PrintWriter out) {
            out.println("rules in force (" + topic + ", merged with the configuration's values):");
            for (final RuleId rule : RuleId.values()) {
                final RuleRecord record = rules.records().get(rule);
                out.println();
                out.println(rule.id() + "  version " + rules.version(rule) + (record == null ? " (the configuration's values)" : "")
                        + (rules.simulated(rule) ? "  SIMULATED: its alerts go to the simulation topic only" : "")
                        + (record != null && record.note() != null ? "  note: " + record.note() : ""));
                final int width = rule.keys().stream().mapToInt(String::length).max().orElse(0);
                for (final Setting setting : Setting.values()) {
                    if (rule.settings().contains(setting)) {
                        final boolean set = record != null && record.settings().containsKey(setting);
                        out.printf("  %-" + width + "s  %s%s%n", setting.key(), quoted(rules.value(setting)), set ? "  (version " + record.version() + ")" : "");
                    }
                }
                if (rule == RuleId.CALENDAR) {
                    final List<LocalDate> days = record == null ? List.of() : List.copyOf(record.days());
                    out.println("  days: " + (days.isEmpty() ? "none" : days.size() + " (" + days.get(0) + " .. " + days.get(days.size() - 1) + ")"));
                }
            }
        }

        private static String quoted(final String value) {
            return value.isEmpty() ? "\"\"" : value;
        }

        private static Map<String, Object> asJson(final RuleSet rules) {
            final Map<String, Object> all = new LinkedHashMap<>();
            for (final RuleId rule : RuleId.values()) {
                final Map<String, Object> one = new LinkedHashMap<>();
                final RuleRecord record = rules.records().get(rule);
                one.put("version", rules.version(rule));
                one.put("simulate", rules.simulated(rule));
                final Map<String, String> settings = new LinkedHashMap<>();
                for (final String key : rule.keys()) {
                    for (final Setting setting : rule.settings()) {
                        if (setting.key().equals(key)) {
                            settings.put(key, rules.value(setting));
                        }
                    }
                }
                one.put("settings", settings);
                if (rule == RuleId.CALENDAR) {
                    one.put("days", record == null ? List.of() : record.days().stream().map(Object::toString).toList());
                }
                all.put(rule.id(), one);
            }
            return all;
        }
    }

    /** A record in messages: {@code machine-speed version 2 (simulated)}. */
    public static String describe(final RuleRecord record) {
        return record.rule().id() + " version " + record.version() + (record.simulate() ? " (simulated)" : "");
    }
}
