package io.curriculum.detector.topology;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store whose every entry a processor reads and changes decoded, in memory, and whose changes reach the
 * store beneath (RocksDB or in-memory, with its changelog) once per commit: an entry changed by a thousand accesses
 * between two commits is encoded and logged once, not a thousand times, and no access pays a cache lookup or a decode.
 *
 * <p>It takes the place of Kafka Streams' record cache, and is flushed at the same point: Streams calls
 * {@link #flushCache()} on every store registered as a {@link CachedStateStore} before it flushes the producer and
 * commits the transaction, so the entries written there are part of the commit, exactly once. When a task is closed
 * dirty (an aborted transaction) Streams calls {@link #clearCache()}: the changes not committed are dropped, and the
 * entries are read again from the store, restored to the last commit, at the next access. {@code CachedStateStore}
 * is an internal interface of Kafka Streams (4.3.1 here), pinned by {@code MirroredStoreTest}, which restarts a task
 * from its changelog.
 *
 * <p>Interactive queries read the store beneath: the state as of the last commit.
 */
public final class MirroredStore<K, V> implements StateStore, CachedStateStore<K, byte[]>, ReadOnlyKeyValueStore<K, byte[]> {

    private final KeyValueStore<K, byte[]> store;
    private final Function<byte[], V> decode;
    private final Function<V, byte[]> encode;
    private final Map<K, V> entries;
    /** The keys changed since the last commit, each with whether the store beneath holds it (as of that commit). */
    private final Map<K, Boolean> changed = new HashMap<>();
    private boolean loaded;

    private MirroredStore(final KeyValueStore<K, byte[]> store, final Function<byte[], V> decode, final Function<V, byte[]> encode,
                          final boolean sorted) {
        this.store = store;
        this.decode = decode;
        this.encode = encode;
        this.entries = sorted ? new TreeMap<>() : new HashMap<>();
    }

    /**
     * Builds a mirrored store over the store {@code beneath} builds (give it no record cache: this store is the cache).
     * {@code sorted}: keys iterate in their natural order, as a scan of the store would.
     */
    public static <K, V> StoreBuilder<MirroredStore<K, V>> builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath,
                                                                   final Function<byte[], V> decode, final Function<V, byte[]> encode,
                                                                   final boolean sorted) {
        return new Builder<>(beneath, decode, encode, sorted);
    }

    /** The entry of {@code key}, or null. A value changed in place must be {@link #put} back to be written. */
    public V value(final K key) {
        return loaded().get(key);
    }

    public void put(final K key, final V value) {
        final V before = loaded().put(key, value);
        changed.putIfAbsent(key, before != null);
    }

    public void delete(final K key) {
        final V before = loaded().remove(key);
        changed.putIfAbsent(key, before != null);
    }

    /** Every entry, read-only (change them through {@link #put} and {@link #delete}); in key order when sorted. */
    public Map<K, V> entries() {
        return Collections.unmodifiableMap(loaded());
    }

    private Map<K, V> loaded() {
        if (loaded) {
            return entries;
        }
        entries.clear();
        changed.clear();
        try (KeyValueIterator<K, byte[]> all = store.all()) {
            while (all.hasNext()) {
                final var entry = all.next();
                entries.put(entry.key, decode.apply(entry.value));
            }
        }
        loaded = true;
        return entries;
    }

    /** Writes what changed since the last commit; an entry both added and deleted since then is not written at all. */
    @Override
    public void flushCache() {
        for (final Map.Entry<K, Boolean> change : changed.entrySet()) {
            final V value = entries.get(change.getKey());
            if (value != null) {
                store.put(change.getKey(), encode.apply(value));
            } else if (change.getValue()) {
                store.delete(change.getKey());
            }
        }
        changed.clear();
    }

    @Override
    public void clearCache() {
        entries.clear();
        changed.clear();
        loaded = false;
    }

    @Override
    public boolean setFlushListener(final CacheFlushListener<K, byte[]> listener, final boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        clearCache();
        store.init(context, root);
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public void close() {
        clearCache();
        store.close();
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(final Query<R> query, final PositionBound positionBound, final QueryConfig config) {
        return store.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return store.getPosition();
    }

    @Override
    public byte[] get(final K key) {
        return store.get(key);
    }

    @Override
    public KeyValueIterator<K, byte[]> range(final K from, final K to) {
        return store.range(from, to);
    }

    @Override
    public KeyValueIterator<K, byte[]> all() {
        return store.all();
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }

    private static final class Builder<K, V> implements StoreBuilder<MirroredStore<K, V>> {
        private final StoreBuilder<KeyValueStore<K, byte[]>> beneath;
        private final Function<byte[], V> decode;
        private final Function<V, byte[]> encode;
        private final boolean sorted;

        Builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath, final Function<byte[], V> decode, final Function<V, byte[]> encode,
                final boolean sorted) {
            this.beneath = beneath;
            this.decode = decode;
            this.encode = encode;
            this.sorted = sorted;
        }

        @Override
        public StoreBuilder<MirroredStore<K, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("a mirrored store is its own cache");
        }

        @Override
        public StoreBuilder<MirroredStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<MirroredStore<K, V>> withLoggingEnabled(final Map<String, String> config) {
            beneath.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<MirroredStore<K, V>> withLoggingDisabled() {
            beneath.withLoggingDisabled();
            return this;
        }

        @Override
        public MirroredStore<K, V> build() {
            return new MirroredStore<>(beneath.build(), decode, encode, sorted);
        }

        @Override
        public Map<String, String> logConfig() {
            return beneath.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return beneath.loggingEnabled();
        }

        @Override
        public String name() {
            return beneath.name();
        }
    }
}
