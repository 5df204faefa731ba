package io.curriculum.detector.topology;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
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
 * is an internal interface of Kafka Streams (4.3.1 here), pinned by {@code StateRestoreIT}, which restores a detector
 * from its changelogs and expects the alerts of one that never stopped.
 *
 * <p>Interactive queries read the store beneath: the state as of the last commit.
 */
public final class MirroredStore<K, V> implements StateStore, CachedStateStore<K, byte[]>, ReadOnlyKeyValueStore<K, byte[]> {

    private final KeyValueStore<K, byte[]> store;
    private final Function<byte[], V> decode;
    private final Function<V, byte[]> encode;
    /** Every key the store beneath holds or that changed since the last commit; a deleted key's slot holds null until then. */
    private final Map<K, Slot<K, V>> slots = new HashMap<>();
    private final List<Slot<K, V>> changed = new ArrayList<>();
    private final Map<K, V> view = new EntriesView();
    private boolean loaded;

    /** An entry: its key, its value (null once deleted), whether the store beneath holds it, whether it changed since the commit. */
    private static final class Slot<K, V> {
        final K key;
        V value;
        boolean stored;
        boolean changed;

        Slot(final K key) {
            this.key = key;
        }
    }

    private MirroredStore(final KeyValueStore<K, byte[]> store, final Function<byte[], V> decode, final Function<V, byte[]> encode) {
        this.store = store;
        this.decode = decode;
        this.encode = encode;
    }

    /** Builds a mirrored store over the store {@code beneath} builds (give it no record cache: this store is the cache). */
    public static <K, V> StoreBuilder<MirroredStore<K, V>> builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath,
                                                                   final Function<byte[], V> decode, final Function<V, byte[]> encode) {
        return new Builder<>(beneath, decode, encode);
    }

    /** The entry of {@code key}, or null. A value changed in place must be {@link #put} back to be written. */
    public V value(final K key) {
        final Slot<K, V> slot = loaded().get(key);
        return slot == null ? null : slot.value;
    }

    public void put(final K key, final V value) {
        Slot<K, V> slot = loaded().get(key);
        if (slot == null) {
            slot = new Slot<>(key);
            slots.put(key, slot);
        }
        slot.value = value;
        changed(slot);
    }

    public void delete(final K key) {
        final Slot<K, V> slot = loaded().get(key);
        if (slot != null && slot.value != null) {
            slot.value = null;
            changed(slot);
        }
    }

    private void changed(final Slot<K, V> slot) {
        if (!slot.changed) {
            slot.changed = true;
            changed.add(slot);
        }
    }

    /** Every entry, read-only and in no set order (change them through {@link #put} and {@link #delete}). */
    public Map<K, V> entries() {
        loaded();
        return view;
    }

    private Map<K, Slot<K, V>> loaded() {
        if (loaded) {
            return slots;
        }
        clearCache();
        try (KeyValueIterator<K, byte[]> all = store.all()) {
            while (all.hasNext()) {
                final var entry = all.next();
                final Slot<K, V> slot = new Slot<>(entry.key);
                slot.value = decode.apply(entry.value);
                slot.stored = true;
                slots.put(entry.key, slot);
            }
        }
        loaded = true;
        return slots;
    }

    /** Writes what changed since the last commit; an entry both added and deleted since then is not written at all. */
    @Override
    public void flushCache() {
        for (final Slot<K, V> slot : changed) {
            if (slot.value != null) {
                store.put(slot.key, encode.apply(slot.value));
                slot.stored = true;
            } else {
                if (slot.stored) {
                    store.delete(slot.key);
                }
                slots.remove(slot.key);
            }
            slot.changed = false;
        }
        changed.clear();
    }

    /** The live entries of {@link #slots}: those not deleted. */
    private final class EntriesView extends AbstractMap<K, V> {
        @Override
        public Set<Map.Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<K, V>> iterator() {
                    final Iterator<Slot<K, V>> all = slots.values().iterator();
                    return new Iterator<>() {
                        private Map.Entry<K, V> next = advance();

                        private Map.Entry<K, V> advance() {
                            while (all.hasNext()) {
                                final Slot<K, V> slot = all.next();
                                if (slot.value != null) {
                                    return new SimpleImmutableEntry<>(slot.key, slot.value);
                                }
                            }
                            return null;
                        }

                        @Override
                        public boolean hasNext() {
                            return next != null;
                        }

                        @Override
                        public Map.Entry<K, V> next() {
                            if (next == null) {
                                throw new NoSuchElementException();
                            }
                            final Map.Entry<K, V> current = next;
                            next = advance();
                            return current;
                        }
                    };
                }

                @Override
                public int size() {
                    int size = 0;
                    for (final Slot<K, V> slot : slots.values()) {
                        size += slot.value == null ? 0 : 1;
                    }
                    return size;
                }
            };
        }

        @Override
        public V get(final Object key) {
            final Slot<K, V> slot = slots.get(key);
            return slot == null ? null : slot.value;
        }
    }

    @Override
    public void clearCache() {
        slots.clear();
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

        Builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath, final Function<byte[], V> decode, final Function<V, byte[]> encode) {
            this.beneath = beneath;
            this.decode = decode;
            this.encode = encode;
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
            return new MirroredStore<>(beneath.build(), decode, encode);
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
