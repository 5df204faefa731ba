package io.curriculum.tools.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The strongest single-rule peer we know how to write with public Kafka Streams APIs, for the benchmark to measure the
 * detector against: the Processor API on the input as it is (already keyed by IP, so no repartition), one in-memory
 * key-value store with a changelog and the record cache in front of it (so a hot IP's changes reach the changelog once
 * per commit), a streaming JSON read of only the two fields the rule needs, compact binary state, and one rule: at
 * least {@value #MIN_DISTINCT} distinct pages from one IP within {@link #WINDOW}, one alert per episode.
 *
 * <p>State per IP: a flag (an episode is open) and the (time, page hash) pairs within the window, newest time per page.
 */
final class FastPeer {

    static final String STORE = "fast-peer-ip-pages";
    static final Duration WINDOW = Duration.ofSeconds(20);
    static final int MIN_DISTINCT = 30;

    private FastPeer() {
    }

    static StreamsBuilder topology(final String input, final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("fast-peer-source"))
                .process(DistinctPagesPerIp::new, Named.as("fast-peer-rule"), STORE)
                .to(output, Produced.with(Serdes.String(), Serdes.String()).withName("fast-peer-sink"));
        return builder;
    }

    /** Distinct pages per IP within the window, by event time (the record timestamp). */
    static final class DistinctPagesPerIp implements Processor<String, byte[], String, String> {

        private static final JsonFactory JSON = new JsonFactory();
        private final long window = WINDOW.toMillis();
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, byte[]> store;
        private long[] times = new long[64];
        private int[] pages = new int[64];

        @Override
        public void init(final ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(final Record<String, byte[]> record) {
            final String path = path(record.value());
            if (path == null || record.key() == null) {
                return;
            }
            final long time = record.timestamp();
            final int page = path.hashCode();
            final byte[] known = store.get(record.key());
            boolean open = false;
            int n = 0;
            if (known != null) {
                final ByteBuffer in = ByteBuffer.wrap(known);
                open = in.get() == 1;
                final int size = in.getInt();
                for (int i = 0; i < size; i++) {
                    final long t = in.getLong();
                    final int p = in.getInt();
                    if (t > time - window && p != page) {
                        n = append(n, t, p);
                    }
                }
            }
            n = append(n, time, page);
            if (n < MIN_DISTINCT) {
                open = false;
            } else if (!open) {
                open = true;
                context.forward(new Record<>(record.key(), n + " distinct pages within " + WINDOW + " up to " + time, time));
            }
            final ByteBuffer out = ByteBuffer.allocate(5 + n * 12).put((byte) (open ? 1 : 0)).putInt(n);
            for (int i = 0; i < n; i++) {
                out.putLong(times[i]).putInt(pages[i]);
            }
            store.put(record.key(), out.array());
        }

        private int append(final int n, final long time, final int page) {
            if (n == times.length) {
                times = Arrays.copyOf(times, n * 2);
                pages = Arrays.copyOf(pages, n * 2);
            }
            times[n] = time;
            pages[n] = page;
            return n + 1;
        }

        /** The {@code after.path} field of a Debezium envelope, read without building a tree; null when absent. */
        private static String path(final byte[] value) {
            if (value == null) {
                return null;
            }
            try (JsonParser parser = JSON.createParser(value)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    final String field = parser.currentName();
                    final JsonToken token = parser.nextToken();
                    if (!"after".equals(field) || token != JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        continue;
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        final String column = parser.currentName();
                        parser.nextToken();
                        if ("path".equals(column)) {
                            return parser.getValueAsString();
                        }
                        parser.skipChildren();
                    }
                    return null;
                }
                return null;
            } catch (final IOException e) {
                return null;
            }
        }
    }
}
