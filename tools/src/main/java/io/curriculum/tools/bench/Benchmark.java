package io.curriculum.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.Repartition;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import io.curriculum.tools.local.EmbeddedKafka;
import io.curriculum.tools.replay.DebeziumEvents;
import io.curriculum.tools.replay.Replay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Measures, in one JVM on one embedded broker and one input topic (a history file as Debezium change events,
 * keyed by IP, one partition), how fast the detector's topology runs against what bounds it:
 * <ol>
 *   <li>a plain consumer reading the topic (the physical limit of reading);</li>
 *   <li>a pass-through Kafka Streams app (read, write, no state, exactly_once_v2);</li>
 *   <li>the naive peer: parse JSON, re-key by IP, a tumbling 60 s windowed count (30-day retention), emit when a
 *   count reaches 30, exactly_once_v2;</li>
 *   <li>the fast peer ({@link FastPeer}): one rule (distinct pages per IP) written as well as we know how, Processor API,
 *   one in-memory store with a changelog and the record cache, no repartition, exactly_once_v2;</li>
 *   <li>the detector's full topology, on the same input with the cohort table loaded; then with repartition topics;</li>
 *   <li>scale-out: the detector on a copy of the input in two partitions (keyed by IP), with two stream threads.</li>
 * </ol>
 * Each app starts from the beginning of the topic with its own application id; its rate is records / (time from
 * start to its committed offsets reaching the end of every topic it reads). Prints a JSON object of figures.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "bench";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Set<String> ALL_PARTS = new LinkedHashSet<>(List.of("limits", "naive", "fast", "detector", "repartitioned", "scaleout"));

    private final String bootstrap;
    private final Path work;
    private final Admin admin;
    private long commitInterval;

    private Benchmark(final String bootstrap, final Path work) {
        this.bootstrap = bootstrap;
        this.work = work;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Benchmark HISTORY_FILE RESULT_JSON [PARTS]   PARTS: a comma-separated subset of " + String.join(",", ALL_PARTS)
                    + " (default: all)");
            System.exit(2);
        }
        final Path history = Path.of(args[0]);
        final Set<String> parts = args.length == 3 ? Set.of(args[2].split(",")) : ALL_PARTS;
        final Path work = Files.createTempDirectory("detector-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            final Benchmark bench = new Benchmark(kafka.bootstrapServers(), work);
            final ObjectNode result = bench.run(history, parts);
            Files.writeString(Path.of(args[1]), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            bench.admin.close();
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private ObjectNode run(final Path history, final Set<String> parts) throws Exception {
        final DetectorConfig config = Replay.withReplayCommitInterval(
                        DetectorConfig.from(props(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)), System.getenv()))
                .withTopics(Replay.topicsOf(ID), true)
                .withStreamsOverrides(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, ID + "-detector",
                        StreamsConfig.STATE_DIR_CONFIG, work.resolve("detector-state").toString()));
        commitInterval = Long.parseLong(String.valueOf(config.streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)));
        TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
        final String input = config.topics().logs();

        loadCohorts(config);

        final ObjectNode result = JSON.createObjectNode();
        result.put("history", history.toString());
        result.put("commit_interval_ms", commitInterval);
        final long started = System.nanoTime();
        final long rows = produce(history, input, config.campusZone());
        final double produceSeconds = seconds(started);
        result.put("rows", rows);
        result.put("produce_records_per_s", rows / produceSeconds);
        log("produced %,d rows in %.1f s", rows, produceSeconds);

        if (parts.contains("limits")) {
            final double consumer = rows / plainConsumer(input, rows);
            result.put("plain_consumer_records_per_s", consumer);
            log("plain consumer: %,.0f records/s", consumer);
            // each Streams peer runs at the detector's commit interval and at exactly_once_v2's default (100 ms);
            // the ratios are taken against the faster of the two, so no setting flatters the detector
            final double passThrough = best(result, "pass_through_eos", rows, commit -> streamsApp(passThrough(input),
                    ID + "-passthrough-" + commit, List.of(input), commit));
            result.put("pass_through_eos_records_per_s", passThrough);
        }
        if (parts.contains("naive")) {
            final double naive = best(result, "naive_peer", rows, commit -> streamsApp(naive(input), ID + "-naive-" + commit,
                    List.of(input, ID + "-naive-" + commit + "-naive-by-ip-repartition"), commit));
            result.put("naive_peer_records_per_s", naive);
        }
        if (parts.contains("fast")) {
            final double fast = best(result, "fast_peer", rows, commit -> streamsApp(FastPeer.topology(input, ID + "-fast-out"),
                    ID + "-fast-" + commit, List.of(input), commit));
            result.put("fast_peer_records_per_s", fast);
        }
        if (parts.contains("detector")) {
            // as shipped: the input is one partition, so the whole topology runs as one task
            final double detector = rows / detector(config.withLogsPartitions(1), result, "detector");
            result.put("detector_records_per_s", detector);
            ratio(result, "detector_vs_plain_consumer", detector, "plain_consumer_records_per_s");
            ratio(result, "detector_vs_pass_through", detector, "pass_through_eos_records_per_s");
            ratio(result, "detector_vs_naive_peer", detector, "naive_peer_records_per_s");
            ratio(result, "detector_vs_fast_peer", detector, "fast_peer_records_per_s");
        }
        if (parts.contains("repartitioned")) {
            // the topology as it runs on a logs topic of several partitions: every re-keying through a repartition topic
            final double repartitioned = rows / detector(config.withRepartition(Repartition.ALWAYS).withStreamsOverrides(Map.of(
                    StreamsConfig.APPLICATION_ID_CONFIG, ID + "-repartitioned",
                    StreamsConfig.STATE_DIR_CONFIG, work.resolve("repartitioned-state").toString())), result, "repartitioned");
            result.put("detector_repartitioned_records_per_s", repartitioned);
        }
        if (parts.contains("scaleout")) {
            // what a second partition and a second stream thread buy on this machine: the same rows, keyed by IP into two partitions
            final DetectorConfig scaled = config.withTopics(Replay.topicsOf(ID + "-2p"), true).withStreamsOverrides(Map.of(
                    StreamsConfig.APPLICATION_ID_CONFIG, ID + "-2p",
                    StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2",
                    StreamsConfig.STATE_DIR_CONFIG, work.resolve("scaleout-state").toString()));
            TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(scaled), 2);
            loadCohorts(scaled);
            produce(history, scaled.topics().logs(), scaled.campusZone());
            final double scaleout = rows / detector(scaled.withLogsPartitions(2), result, "detector_2_partitions_2_threads");
            result.put("detector_2_partitions_2_threads_records_per_s", scaleout);
        }
        return result;
    }

    /** Produces the cohorts table and waits until the detector's cohort table holds it, so the detector enriches as in production. */
    private void loadCohorts(final DetectorConfig config) throws Exception {
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (final CohortRow cohort : cohorts) {
                producer.send(new ProducerRecord<>(config.topics().cohorts(), DebeziumEvents.cohortKey(cohort.id()), DebeziumEvents.cohort(cohort)));
            }
        }
        try (DetectorRuntime runtime = DetectorRuntime.start(config)) {
            runtime.awaitRunning(Duration.ofMinutes(2));
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (runtime.cohortsKnown() < cohorts.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cohort table did not fill within " + TIMEOUT);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Runs the detector from the beginning until it has consumed its input and every repartition topic; returns the seconds. */
    private double detector(final DetectorConfig config, final ObjectNode result, final String name) throws Exception {
        final String applicationId = config.applicationId();
        final List<String> sources = new ArrayList<>(List.of(config.topics().logs()));
        sources.addAll(DetectorTopology.repartitionTopics(config));
        final Path state = Path.of(String.valueOf(config.streamsConfig().get(StreamsConfig.STATE_DIR_CONFIG)));
        final long started = System.nanoTime();
        try (DetectorRuntime runtime = DetectorRuntime.start(config)) {
            awaitConsumed(applicationId, sources, runtime);
        }
        final double seconds = seconds(started);
        log("%s (exactly_once_v2): %,.0f records/s, state %,d bytes", name, result.get("rows").asLong() / seconds, size(state));
        result.put(name + "_state_bytes", size(state));
        return seconds;
    }

    /** A peer that takes {@code commitIntervalMs} and returns its seconds for the input. */
    private interface Peer {
        double seconds(long commitIntervalMs) throws Exception;
    }

    /** Runs a peer at the detector's commit interval and at 100 ms; records both rates; returns the higher. */
    private double best(final ObjectNode result, final String name, final long rows, final Peer peer) throws Exception {
        double best = 0;
        for (final long commit : LongStream.of(commitInterval, 100L).distinct().toArray()) {
            final double rate = rows / peer.seconds(commit);
            result.put(name + "_commit_" + commit + "ms_records_per_s", rate);
            log("%s (exactly_once_v2, commit.interval.ms=%d): %,.0f records/s", name, commit, rate);
            best = Math.max(best, rate);
        }
        return best;
    }

    private static void ratio(final ObjectNode result, final String name, final double detector, final String other) {
        if (result.has(other)) {
            result.put(name, detector / result.get(other).asDouble());
        }
    }

    private long produce(final Path history, final String topic, final ZoneId zone) {
        final AtomicReference<Exception> failed = new AtomicReference<>();
        long rows = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer();
             HistoryReader reader = HistoryReader.open(history, bad -> { })) {
            while (reader.hasNext()) {
                final HistoryRow row = reader.next();
                producer.send(new ProducerRecord<>(topic, null, row.localTime().atZone(zone).toInstant().toEpochMilli(),
                        row.ip().getBytes(StandardCharsets.UTF_8), DebeziumEvents.log(row)), (m, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
                rows++;
            }
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing failed", failed.get());
        }
        return rows;
    }

    /** Seconds a plain consumer takes to read {@code rows} records from the beginning. */
    private double plainConsumer(final String topic, final long rows) {
        final Properties props = props(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, ID + "-consumer", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"));
        final long started = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (read < rows) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                read += records.count();
            }
        }
        return seconds(started);
    }

    private static StreamsBuilder passThrough(final String input) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())).to(ID + "-passthrough-out",
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder;
    }

    /** What a competent engineer writes in an afternoon: parse, re-key by IP, count per minute, emit at 30. */
    private static StreamsBuilder naive(final String input) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .map((key, value) -> {
                    try {
                        final JsonNode after = JSON.readTree(value).path("after");
                        return KeyValue.pair(after.path("ip").asText(), after.path("path").asText());
                    } catch (final IOException e) {
                        return KeyValue.pair("invalid", "");
                    }
                })
                .groupByKey(Grouped.with("naive-by-ip", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(60)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("naive-counts").withRetention(Duration.ofDays(30)))
                .toStream()
                .filter((window, count) -> count == 30)
                .map((window, count) -> KeyValue.pair(window.key(), window.window().startTime() + " " + count))
                .to(ID + "-naive-out", Produced.with(Serdes.String(), Serdes.String()));
        return builder;
    }

    /** Runs a Streams app from the beginning until it has consumed every input; returns the seconds it took. */
    private double streamsApp(final StreamsBuilder builder, final String applicationId, final List<String> sources, final long commitIntervalMs)
            throws Exception {
        TopicSetup.ensure(admin, Map.of(ID + "-passthrough-out", Map.of(), ID + "-naive-out", Map.of(), ID + "-fast-out", Map.of()), 1);
        final Properties props = props(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs),
                StreamsConfig.STATE_DIR_CONFIG, work.resolve(applicationId).toString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        final long started = System.nanoTime();
        final KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.start();
        try {
            awaitConsumed(applicationId, sources, null);
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        }
        return seconds(started);
    }

    private void awaitConsumed(final String groupId, final List<String> topics, final DetectorRuntime runtime) throws Exception {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (runtime != null && runtime.isTerminated()) {
                throw new IllegalStateException("the detector stopped", runtime.failure());
            }
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(topics)) {
                Thread.sleep(200); // a repartition topic not created yet
                continue;
            }
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            final boolean done = ends.entrySet().stream().allMatch(e -> {
                final OffsetAndMetadata offset = committed.get(e.getKey());
                return offset != null && offset.offset() >= e.getValue();
            });
            if (done) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(groupId + " did not consume " + topics + " within " + TIMEOUT);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(props(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "10", ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Properties props(final Map<String, String> values) {
        final Properties props = new Properties();
        props.putAll(values);
        return props;
    }

    private static double seconds(final long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static long size(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void log(final String format, final Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
