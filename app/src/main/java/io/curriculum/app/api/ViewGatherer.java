package io.curriculum.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.detector.topology.ViewStores;
import io.curriculum.detector.views.LessonStats;
import io.curriculum.detector.views.UserActivity;
import io.curriculum.detector.views.Views;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Gathers the analysts' views for a query: this instance's local stores (every partition it hosts) plus, over HTTP, the local
 * stores of every other instance of the application (found by {@code application.server}), merged into one {@link Views}.
 * The views are partial sums per partition, so fanning out and merging gives the whole answer on any instance.
 */
public final class ViewGatherer {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String token;

    /** Gathers the local views only when {@code self} is null (one instance). */
    public ViewGatherer(final KafkaStreams streams, final HostInfo self) {
        this(streams, self, null);
    }

    /** {@code token}: the API's bearer token, sent to the other instances (they share it), or null when the API has none. */
    public ViewGatherer(final KafkaStreams streams, final HostInfo self, final String token) {
        this.streams = streams;
        this.self = self;
        this.token = token;
    }

    /** Every instance's views merged, with the cohort table (global: every instance holds all of it). */
    public Views gather() throws IOException, InterruptedException {
        final Views views = new Views();
        addLocal(views);
        for (final StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            final HostInfo host = instance.hostInfo();
            if (self == null || host.equals(self) || host.port() <= 0) {
                continue;
            }
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + "/internal/views"))
                    .timeout(TIMEOUT).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            final HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("instance " + host + " answered " + response.statusCode() + " for its views");
            }
            addRemote(views, JsonSerde.MAPPER.readTree(response.body()));
        }
        return views;
    }

    private void addLocal(final Views views) {
        for (final KeyValue<String, byte[]> entry : local(ViewStores.LESSONS)) {
            views.addLesson(entry.key, LessonStats.decode(entry.value));
        }
        for (final KeyValue<String, byte[]> entry : local(ViewStores.COHORT_LESSONS)) {
            views.addCohortLesson(entry.key, ByteBuffer.wrap(entry.value).getLong());
        }
        for (final KeyValue<String, byte[]> entry : local(ViewStores.USERS)) {
            views.addUser(Long.parseLong(entry.key), UserActivity.decode(entry.value));
        }
        final ReadOnlyKeyValueStore<String, Cohort> cohorts = streams.store(
                StoreQueryParameters.fromNameAndType(DetectorTopology.COHORT_STORE, QueryableStoreTypes.<String, Cohort>keyValueStore()));
        try (KeyValueIterator<String, Cohort> all = cohorts.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value != null) {
                    views.addCohort(entry.value);
                }
            });
        }
    }

    private static void addRemote(final Views views, final JsonNode remote) {
        final Base64.Decoder base64 = Base64.getDecoder();
        for (final Iterator<Map.Entry<String, JsonNode>> it = remote.path(ViewStores.LESSONS).fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = it.next();
            views.addLesson(entry.getKey(), LessonStats.decode(base64.decode(entry.getValue().asText())));
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = remote.path(ViewStores.COHORT_LESSONS).fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = it.next();
            views.addCohortLesson(entry.getKey(), entry.getValue().asLong());
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = remote.path(ViewStores.USERS).fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = it.next();
            views.addUser(Long.parseLong(entry.getKey()), UserActivity.decode(base64.decode(entry.getValue().asText())));
        }
    }

    /**
     * This instance's local view entries as JSON, for another instance's {@link #gather}: per store, key to value (lesson and
     * user values in base64 of their binary form, cohort × lesson hits as numbers). Partial sums of one key across the
     * partitions this instance hosts appear once per partition, so they are summed here first.
     */
    ObjectNode localAsJson() {
        final ObjectNode json = JsonSerde.MAPPER.createObjectNode();
        final Base64.Encoder base64 = Base64.getEncoder();
        final Views local = new Views();
        for (final KeyValue<String, byte[]> entry : local(ViewStores.LESSONS)) {
            local.addLesson(entry.key, LessonStats.decode(entry.value));
        }
        final ObjectNode lessons = json.putObject(ViewStores.LESSONS);
        local.forEachLesson((key, stats) -> lessons.put(key, base64.encodeToString(stats.encode())));
        final ObjectNode cohortLessons = json.putObject(ViewStores.COHORT_LESSONS);
        for (final KeyValue<String, byte[]> entry : local(ViewStores.COHORT_LESSONS)) {
            final long hits = ByteBuffer.wrap(entry.value).getLong();
            cohortLessons.put(entry.key, cohortLessons.path(entry.key).asLong(0) + hits);
        }
        final ObjectNode users = json.putObject(ViewStores.USERS);
        for (final KeyValue<String, byte[]> entry : local(ViewStores.USERS)) {
            users.put(entry.key, base64.encodeToString(entry.value));
        }
        return json;
    }

    /** Every entry of a view store on this instance, across the partitions it hosts (a key may appear once per partition). */
    private java.util.List<KeyValue<String, byte[]>> local(final String store) {
        final ReadOnlyKeyValueStore<String, byte[]> view = streams.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        final java.util.List<KeyValue<String, byte[]>> entries = new java.util.ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = view.all()) {
            all.forEachRemaining(entries::add);
        }
        return entries;
    }
}
