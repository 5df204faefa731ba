package io.curriculum.detector.streams.internals;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * A key-value store whose entries a processor reads and changes decoded, in memory, and whose changes reach the
 * store beneath (RocksDB or in-memory, with its changelog) once per commit: an entry changed by a thousand accesses
 * between two commits is encoded and logged once, not a thousand times, and no access pays a cache lookup or a decode.
 *
 * <p>It takes the place of Kafka Streams' record cache, and is flushed at the same point: Streams calls
 * {@link #flushCache()} on every store registered as a {@link CachedStateStore} before it flushes the producer and
 * commits the transaction, so the entries written there are part of the commit, exactly once. When a task is closed
 * dirty (an aborted transaction) Streams calls {@link #clearCache()}: the changes not committed are dropped, and the
 * entries are read again from the store, restored to the last commit, at the next access. Why this needs an internal
 * interface, and what pins it, is in this package's documentation.
 *
 * <p><b>Unbounded</b> ({@code maxEntries} 0) it holds every entry decoded, read from the store beneath at the first
 * access: the state must fit in the heap. <b>Bounded</b> it holds at most {@code maxEntries} entries (and the keys it
 * knows to be absent), least recently used first out: a miss is read from the store beneath and decoded; an entry
 * changed since the commit that falls out is written to the store beneath at once (between two commits, so under
 * exactly-once in the same transaction as the rest), the others at the next {@link #flushCache()}. {@link #entries()}
 * iterates the store beneath merged with the changes in memory; when every entry fits in the bound it reads them all
 * once and keeps them, and neither it nor a miss reads the store beneath again until an entry falls out.
 *
 * <p>Interactive queries read the store beneath: the state as of the last commit (bounded, plus the changes written early).
 */
public final class MirroredStore<K, V> implements StateStore, CachedStateStore<K, byte[]>, ReadOnlyKeyValueStore<K, byte[]> {

    private final KeyValueStore<K, byte[]> store;
    private final Function<byte[], V> decode;
    private final Function<V, byte[]> encode;
    /** At most this many slots when bounded; 0: every entry of the store beneath. */
    private final int maxEntries;
    /**
     * Unbounded: every key the store beneath holds or that changed since the last commit; a deleted key's slot holds
     * null until then. Bounded: the keys used most recently, in access order (eldest first), a key known absent with a null value.
     */
    private final Map<K, Slot<K, V>> slots;
    /** The slots changed since the last commit: a list when unbounded (each slot once), a set when bounded (an evicted slot leaves it). */
    private final Collection<Slot<K, V>> changed;
    /** Unbounded: the live slots. Bounded: the store beneath merged with the slots. */
    private final Map<K, V> view;
    /** Bounded: the live slots, the entries when {@link #complete}. */
    private final Map<K, V> inMemory;
    private boolean loaded;
    /** Bounded: the slots hold every entry (no live one has been evicted since they were all read), so the store beneath need not be read. */
    private boolean complete;

    /** An entry: its key, its value (null once deleted), whether the store beneath may hold it, whether it changed since the commit. */
    private static final class Slot<K, V> {
        final K key;
        V value;
        boolean stored;
        boolean changed;

        Slot(final K key) {
            this.key = key;
        }
    }

    private MirroredStore(final KeyValueStore<K, byte[]> store, final Function<byte[], V> decode, final Function<V, byte[]> encode,
                          final int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0 (0: unbounded), not " + maxEntries);
        }
        this.store = store;
        this.decode = decode;
        this.encode = encode;
        this.maxEntries = maxEntries;
        if (maxEntries == 0) {
            this.slots = new HashMap<>();
            this.changed = new ArrayList<>();
            this.view = new EntriesView();
            this.inMemory = view;
        } else {
            this.slots = new LinkedHashMap<>(16, 0.75f, true);
            this.changed = new LinkedHashSet<>();
            this.view = new MergedView();
            this.inMemory = new EntriesView();
        }
    }

    /** Builds an unbounded mirrored store over the store {@code beneath} builds (give it no record cache: this store is the cache). */
    public static <K, V> StoreBuilder<MirroredStore<K, V>> builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath,
                                                                   final Function<byte[], V> decode, final Function<V, byte[]> encode) {
        return builder(beneath, decode, encode, 0);
    }

    /** Builds a mirrored store that holds at most {@code maxEntries} decoded entries (0: all of them) over the store {@code beneath} builds. */
    public static <K, V> StoreBuilder<MirroredStore<K, V>> builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath,
                                                                   final Function<byte[], V> decode, final Function<V, byte[]> encode,
                                                                   final int maxEntries) {
        return new Builder<>(beneath, decode, encode, maxEntries);
    }

    /** The entry of {@code key}, or null. A value changed in place must be {@link #put} back to be written. */
    public V value(final K key) {
        if (maxEntries > 0) {
            return cached(key).value;
        }
        final Slot<K, V> slot = loaded().get(key);
        return slot == null ? null : slot.value;
    }

    public void put(final K key, final V value) {
        if (maxEntries > 0) {
            putBounded(key, value);
            return;
        }
        Slot<K, V> slot = loaded().get(key);
        if (slot == null) {
            slot = new Slot<>(key);
            slots.put(key, slot);
        }
        slot.value = value;
        changed(slot);
    }

    private void putBounded(final K key, final V value) {
        final Slot<K, V> known = slots.get(key);
        final Slot<K, V> slot = known == null ? new Slot<>(key) : known;
        slot.value = value;
        changed(slot);
        if (known == null) {
            // not read: unless every entry is in memory, the store beneath may hold the key, and a delete must reach it
            slot.stored = !complete;
            slots.put(key, slot);
            evict();
        }
    }

    public void delete(final K key) {
        final Slot<K, V> slot = maxEntries > 0 ? cached(key) : loaded().get(key);
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

    /** Every entry, read-only and in no set order (change them through {@link #put} and {@link #delete}, not while iterating). */
    public Map<K, V> entries() {
        if (maxEntries == 0) {
            loaded();
            return view;
        }
        if (!complete) {
            readAllIfTheyFit();
        }
        return complete ? inMemory : view;
    }

    /**
     * Bounded: reads the entries of the store beneath that are not in memory, and keeps them if they fit in the bound with
     * the slots (then the slots are {@link #complete}); gives up at the first entry beyond it.
     */
    private void readAllIfTheyFit() {
        final List<Slot<K, V>> read = new ArrayList<>();
        try (KeyValueIterator<K, byte[]> all = store.all()) {
            while (all.hasNext()) {
                final var entry = all.next();
                if (!slots.containsKey(entry.key)) {
                    if (slots.size() + read.size() >= maxEntries) {
                        return;
                    }
                    final Slot<K, V> slot = new Slot<>(entry.key);
                    slot.value = decode.apply(entry.value);
                    slot.stored = true;
                    read.add(slot);
                }
            }
        }
        for (final Slot<K, V> slot : read) {
            slots.put(slot.key, slot);
        }
        complete = true;
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

    /** Bounded: the slot of {@code key}, read from the store beneath on a miss (its value null when absent). */
    private Slot<K, V> cached(final K key) {
        Slot<K, V> slot = slots.get(key);
        if (slot == null) {
            final byte[] bytes = complete ? null : store.get(key);
            slot = new Slot<>(key);
            slot.value = bytes == null ? null : decode.apply(bytes);
            slot.stored = bytes != null;
            slots.put(key, slot);
            evict();
        }
        return slot;
    }

    /** Bounded: drops the eldest slots beyond the bound, writing a changed one to the store beneath first. */
    private void evict() {
        if (slots.size() <= maxEntries) {
            return;
        }
        final Iterator<Slot<K, V>> eldest = slots.values().iterator();
        while (slots.size() > maxEntries) {
            final Slot<K, V> slot = eldest.next();
            if (slot.changed) {
                write(slot);
                changed.remove(slot);
            }
            if (slot.value != null) {
                complete = false;
            }
            eldest.remove();
        }
    }

    /** Writes what changed since the last commit; an entry both added and deleted since then is not written at all. */
    @Override
    public void flushCache() {
        for (final Slot<K, V> slot : changed) {
            if (write(slot)) {
                slots.remove(slot.key);
            }
        }
        changed.clear();
    }

    /** Writes a changed slot to the store beneath and marks it unchanged; true when it was a deletion. */
    private boolean write(final Slot<K, V> slot) {
        slot.changed = false;
        if (slot.value != null) {
            store.put(slot.key, encode.apply(slot.value));
            slot.stored = true;
            return false;
        }
        if (slot.stored) {
            store.delete(slot.key);
            slot.stored = false;
        }
        return true;
    }

    /** Unbounded: the live entries of {@link #slots}: those not deleted. */
    private final class EntriesView extends AbstractMap<K, V> {
        @Override
        public Set<Map.Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new EntryIterator(null);
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

    /**
     * Bounded: the entries of the store beneath whose keys are not in memory (decoded as they are met, not kept), then the
     * live entries in memory. Iterating touches no slot, so it leaves the eviction order as it was; the iterator of the
     * store beneath is closed when the iteration reaches its end.
     */
    private final class MergedView extends AbstractMap<K, V> {
        @Override
        public Set<Map.Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new EntryIterator(store.all());
                }

                @Override
                public int size() {
                    int size = 0;
                    for (final Iterator<Map.Entry<K, V>> all = iterator(); all.hasNext(); all.next()) {
                        size++;
                    }
                    return size;
                }
            };
        }

        @Override
        public boolean containsKey(final Object key) {
            return get(key) != null;
        }

        @SuppressWarnings("unchecked")
        @Override
        public V get(final Object key) {
            return value((K) key);
        }
    }

    /**
     * The entries of {@code beneath} whose keys are not in memory (decoded as they are met; none when it is null), then the
     * live entries in memory: those not deleted.
     */
    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private KeyValueIterator<K, byte[]> beneath;
        private final Iterator<Slot<K, V>> inMemory = slots.values().iterator();
        private Map.Entry<K, V> next;

        EntryIterator(final KeyValueIterator<K, byte[]> beneath) {
            this.beneath = beneath;
            this.next = advance();
        }

        private Map.Entry<K, V> advance() {
            while (beneath != null) {
                if (!beneath.hasNext()) {
                    beneath.close();
                    beneath = null;
                    break;
                }
                final var entry = beneath.next();
                if (!slots.containsKey(entry.key)) {
                    return new AbstractMap.SimpleImmutableEntry<>(entry.key, decode.apply(entry.value));
                }
            }
            while (inMemory.hasNext()) {
                final Slot<K, V> slot = inMemory.next();
                if (slot.value != null) {
                    return new AbstractMap.SimpleImmutableEntry<>(slot.key, slot.value);
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
    }

    @Override
    public void clearCache() {
        slots.clear();
        changed.clear();
        loaded = false;
        complete = false;
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
        private final int maxEntries;

        Builder(final StoreBuilder<KeyValueStore<K, byte[]>> beneath, final Function<byte[], V> decode, final Function<V, byte[]> encode,
                final int maxEntries) {
            this.beneath = beneath;
            this.decode = decode;
            this.encode = encode;
            this.maxEntries = maxEntries;
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
            return new MirroredStore<>(beneath.build(), decode, encode, maxEntries);
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
