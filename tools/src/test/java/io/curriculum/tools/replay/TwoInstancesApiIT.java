package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.app.api.AnalystApi;
import io.curriculum.app.api.ExpectedViews;
import io.curriculum.app.api.Http;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.detector.topology.ViewStores;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import io.curriculum.tools.local.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the detector (one application id, two partitions, each instance's API advertised as
 * {@code application.server}, both behind one bearer token) on a real broker: either instance answers every query in full,
 * although each holds only part of the views; and the API's HTTP surface refuses what it must, always in JSON.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TwoInstancesApiIT {

    private static final String APP = "two-instances";

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryQueryInFullOnEitherInstance() throws Exception {
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        final Path history = dir.resolve("history.txt");
        new HistoryGenerator(new GeneratorSettings(11, 8_000, LocalDate.of(2019, 1, 7), 21, cohorts, ZoneId.of("America/Chicago")))
                .write(history, dir.resolve("labels.jsonl"));
        final ExpectedViews expected = new ExpectedViews(history, cohorts);
        final String token = UUID.randomUUID().toString();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            final Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
            final DetectorConfig base = DetectorConfig.from(props, Map.of());
            try (Admin admin = Admin.create(client)) {
                TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(base), 2);
            }
            final List<AnalystApi> apis = new ArrayList<>();
            final List<DetectorRuntime> runtimes = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    final AnalystApi api = AnalystApi.bind("127.0.0.1", 0, token);
                    apis.add(api);
                    final DetectorConfig config = api.advertise(base.withStreamsOverrides(
                            Map.of(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + i).toString())));
                    final DetectorRuntime runtime = DetectorRuntime.start(config);
                    runtimes.add(runtime);
                    api.serve(runtime.streams(), config, client);
                }
                for (final DetectorRuntime runtime : runtimes) {
                    runtime.awaitRunning(Duration.ofSeconds(90));
                }

                // when the cohorts and then the history are produced, keyed by IP over both partitions
                produce(kafka, base, cohorts, history, runtimes);
                awaitConsumed(client, base);

                // then each instance holds only part of the users, and both answer in full, the same
                final int[] localUsers = new int[2];
                for (int i = 0; i < 2; i++) {
                    localUsers[i] = Http.get("http://127.0.0.1:" + apis.get(i).port() + "/internal/views", token).path(ViewStores.USERS).size();
                }
                assertThat(localUsers[0]).isPositive();
                assertThat(localUsers[1]).isPositive();
                for (final AnalystApi api : apis) {
                    final String url = "http://127.0.0.1:" + api.port() + "/api/";
                    final Set<String> broken = new HashSet<>();
                    Http.get(url + "paths/broken?limit=10000", token).path("links").forEach(row -> broken.add(row.path("path").asText()));
                    for (final int program : new int[] {1, 2, 3}) {
                        // every page of the program with the file's hits: as a lesson or a landing page, else a cohort's page or a broken link
                        final Map<String, Long> answered = new HashMap<>();
                        for (final String kind : new String[] {"top", "landing"}) {
                            for (final JsonNode row : Http.get(url + "lessons/" + kind + "?program=" + program + "&limit=10000", token)) {
                                answered.put(row.path("lesson").asText(), row.path("hits").asLong());
                            }
                        }
                        final Map<String, Long> pages = expected.lessons(program);
                        assertThat(pages).as("program " + program + " on " + url).containsAllEntriesOf(answered);
                        pages.keySet().removeAll(answered.keySet());
                        assertThat(pages.keySet()).allMatch(page -> page.startsWith("cohorts/") || broken.contains(page));
                    }
                    final TreeSet<Long> students = new TreeSet<>();
                    Http.get(url + "students?limit=10000", token).forEach(row -> students.add(row.path("userId").asLong()));
                    assertThat(students).isEqualTo(expected.students);
                    assertThat(localUsers[0] + localUsers[1]).isGreaterThan(Math.max(localUsers[0], localUsers[1]));
                }
                assertHttpSurface("http://127.0.0.1:" + apis.get(0).port(), token);
            } finally {
                apis.forEach(AnalystApi::close);
                runtimes.forEach(DetectorRuntime::closeGracefully);
            }
        }
    }

    /**
     * Without the token nothing is served, the instances' endpoint included; only GET and HEAD are; bad parameters, unknown
     * paths and oversized or malformed queries are refused with 400 or 404; every answer is JSON; concurrent requests are all
     * answered.
     */
    private static void assertHttpSurface(final String base, final String token) throws Exception {
        final String top = base + "/api/lessons/top?program=2&limit=3";
        for (final String path : List.of("/api/lessons/top?program=2", "/internal/views", "/", "/nowhere")) {
            assertError(Http.send("GET", base + path, null), 401);
            assertError(Http.send("GET", base + path, "wrong-" + token), 401);
        }
        for (final String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            assertError(Http.send(method, top, token), 405);
        }
        assertThat(Http.send("HEAD", top, token).status()).isEqualTo(200);
        for (final String query : List.of("program=abc", "program=-1", "program=99", "program=2&limit=-5", "program=2&limit=10001",
                "program=2&limit=99999999999", "program=2&limit=1e3", "x=" + "a".repeat(3000))) {
            assertError(Http.send("GET", base + "/api/lessons/top?" + query, token), 400);
        }
        assertError(Http.send("GET", base + "/api/lessons/top", token), 400);
        assertError(Http.send("GET", base + "/api/nowhere", token), 404);
        assertError(Http.send("GET", base + "/", token), 404);
        assertError(Http.send("GET", base + "/api/cohorts/no-such-cohort/overused", token), 404);

        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(() -> Http.send("GET", top, token)));
            }
            for (final Future<Http.Response> answer : answers) {
                final Http.Response response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(response.json().size()).isEqualTo(3);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertError(final Http.Response response, final int status) throws IOException {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.json().path("error").asText()).isNotBlank();
    }

    private static void produce(final EmbeddedKafka kafka, final DetectorConfig config, final List<CohortRow> cohorts, final Path history,
                                final List<DetectorRuntime> runtimes) throws Exception {
        final Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (final CohortRow cohort : cohorts) {
                producer.send(new ProducerRecord<>(config.topics().cohorts(), DebeziumEvents.cohortKey(cohort.id()), DebeziumEvents.cohort(cohort))).get();
            }
            // the cohort table filled in every instance before the logs, as a replay does (the test's history starts well after)
            for (final DetectorRuntime runtime : runtimes) {
                final ReadOnlyKeyValueStore<String, ?> table = runtime.streams().store(
                        StoreQueryParameters.fromNameAndType(DetectorTopology.COHORT_STORE, QueryableStoreTypes.keyValueStore()));
                await("the cohort table of every instance").atMost(Duration.ofSeconds(30))
                        .until(() -> entries(table) >= cohorts.size());
            }
            final ZoneId zone = config.campusZone();
            for (final HistoryRow row : HistoryReader.readAll(history, bad -> { })) {
                producer.send(new ProducerRecord<>(config.topics().logs(), null, row.localTime().atZone(zone).toInstant().toEpochMilli(),
                        row.ip().getBytes(StandardCharsets.UTF_8), DebeziumEvents.log(row)));
            }
            // then mark the end of the input on each partition, as a replay does: the intake releases the rows it holds
            for (int partition = 0; partition < 2; partition++) {
                final ProducerRecord<byte[], byte[]> end = new ProducerRecord<>(config.topics().logs(), partition, (byte[]) null, (byte[]) null);
                end.headers().add(DetectorTopology.END_OF_INPUT, new byte[0]);
                producer.send(end).get();
            }
            producer.flush();
        }
    }

    private static long entries(final ReadOnlyKeyValueStore<String, ?> store) {
        long entries = 0;
        try (KeyValueIterator<String, ?> all = store.all()) {
            for (; all.hasNext(); all.next()) {
                entries++;
            }
        }
        return entries;
    }

    /** Waits (bounded) until the application has committed every partition of its inputs and repartition topics to the end. */
    private static void awaitConsumed(final Properties client, final DetectorConfig config) throws Exception {
        final List<String> topics = List.of(config.topics().logs(), APP + "-" + DetectorTopology.ACCESS_BY_IP + "-repartition",
                APP + "-" + DetectorTopology.ACCESS_BY_USER + "-repartition");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(client)) {
            while (true) {
                final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (final String topic : topics) {
                    for (int p = 0; p < 2; p++) {
                        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                    }
                }
                final Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                // a committed offset stops one past the last record, before a transaction marker that may follow it
                final boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue() - 1);
                if (done && ends.values().stream().mapToLong(Long::longValue).sum() > 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not consumed within 120 s: committed " + committed + ", ends " + ends);
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }
}
