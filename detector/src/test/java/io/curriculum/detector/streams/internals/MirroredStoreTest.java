package io.curriculum.detector.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mirrored store over a plain map, bounded and unbounded: what it reads from and writes to the store beneath, and when. */
class MirroredStoreTest {

    @Test
    void shouldKeepAtMostTheBoundAndReadAMissFromTheStoreBeneath() {
        // given a store beneath holding a, b and c, and a mirror of two entries
        final Beneath beneath = Beneath.of(Map.of("a", "1", "b", "2", "c", "3"));
        final MirroredStore<String, String> store = mirror(beneath, 2);

        // when a, b and c are read, then a again
        assertThat(store.value("a")).isEqualTo("1");
        assertThat(store.value("b")).isEqualTo("2");
        assertThat(store.value("c")).isEqualTo("3");
        assertThat(beneath.gets).isEqualTo(3);
        assertThat(store.value("a")).isEqualTo("1");

        // then a had fallen out (least recently used) and was read again; c, used since, was not
        assertThat(beneath.gets).isEqualTo(4);
        assertThat(store.value("c")).isEqualTo("3");
        assertThat(beneath.gets).isEqualTo(4);
        assertThat(store.value("missing")).isNull();
        assertThat(store.value("missing")).isNull();
        assertThat(beneath.gets).as("an absent key is remembered too").isEqualTo(5);
    }

    @Test
    void shouldWriteAChangedEntryThatFallsOutAtOnceAndTheOthersAtFlushCache() {
        // given an empty store beneath and a mirror of two entries
        final Beneath beneath = Beneath.of(Map.of());
        final MirroredStore<String, String> store = mirror(beneath, 2);

        // when three entries are put
        store.put("x", "1");
        store.put("y", "2");
        assertThat(beneath.entries).isEmpty();
        store.put("z", "3");

        // then the eldest was written when it fell out, the others wait for the commit
        assertThat(beneath.entries).containsExactly(entry("x", "1"));
        assertThat(store.value("y")).isEqualTo("2");
        store.flushCache();
        assertThat(beneath.entries).containsExactly(entry("x", "1"), entry("y", "2"), entry("z", "3"));
        assertThat(beneath.puts).isEqualTo(3);

        // and an unchanged entry is not written again at the next commit
        store.value("z");
        store.flushCache();
        assertThat(beneath.puts).isEqualTo(3);
    }

    @Test
    void shouldSeeEveryEntryMergedFromTheStoreBeneathAndTheChangesInMemory() {
        // given a store beneath holding a, b and c, and a mirror of two entries
        final Beneath beneath = Beneath.of(Map.of("a", "1", "b", "2", "c", "3"));
        final MirroredStore<String, String> store = mirror(beneath, 2);

        // when b changes, c is deleted and d is added, none committed
        store.put("b", "20");
        store.delete("c");
        store.put("d", "4");

        // then the entries show the changes over what the store beneath holds
        assertThat(new TreeMap<>(store.entries())).containsExactly(entry("a", "1"), entry("b", "20"), entry("d", "4"));
        assertThat(store.entries()).hasSize(3).containsKey("a").doesNotContainKey("c");
        assertThat(beneath.openIterators).as("iterators of the store beneath left open").isZero();

        // and after the commit the store beneath holds the same
        store.flushCache();
        assertThat(beneath.entries).containsExactly(entry("a", "1"), entry("b", "20"), entry("d", "4"));
    }

    @Test
    void shouldReadTheStoreBeneathOnceWhileEveryEntryFitsInTheBound() {
        // given a store beneath holding a and b, and a mirror of four entries
        final Beneath beneath = Beneath.of(Map.of("a", "1", "b", "2"));
        final MirroredStore<String, String> store = mirror(beneath, 4);

        // when the entries are listed twice, and keys absent and present are read
        assertThat(new TreeMap<>(store.entries())).containsExactly(entry("a", "1"), entry("b", "2"));
        store.put("c", "3");
        assertThat(new TreeMap<>(store.entries())).containsExactly(entry("a", "1"), entry("b", "2"), entry("c", "3"));
        assertThat(store.value("missing")).isNull();
        assertThat(store.value("a")).isEqualTo("1");

        // then the store beneath was scanned once and never read by key
        assertThat(beneath.scans).isEqualTo(1);
        assertThat(beneath.gets).isZero();

        // when more entries than the bound are added, so that one falls out
        store.put("d", "4");
        store.put("e", "5");
        assertThat(new TreeMap<>(store.entries())).containsExactly(entry("a", "1"), entry("b", "2"), entry("c", "3"), entry("d", "4"),
                entry("e", "5"));

        // then the entries are read from the store beneath again, merged
        assertThat(beneath.scans).isGreaterThan(1);
        assertThat(beneath.openIterators).isZero();
    }

    @Test
    void shouldWriteTheDeleteOfAKeyPutButNeverReadToTheStoreBeneath() {
        // given a store beneath holding a
        final Beneath beneath = Beneath.of(Map.of("a", "1"));
        final MirroredStore<String, String> store = mirror(beneath, 2);

        // when a is put without being read, then deleted
        store.put("a", "10");
        store.delete("a");
        store.flushCache();

        // then the store beneath no longer holds it
        assertThat(beneath.entries).isEmpty();
        assertThat(store.value("a")).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void shouldDropTheChangesNotCommittedOnClearCache(final int bound) {
        // given a committed entry
        final Beneath beneath = Beneath.of(Map.of());
        final MirroredStore<String, String> store = mirror(beneath, bound);
        store.put("a", "1");
        store.flushCache();

        // when it changes, another is added, and the task is closed dirty
        store.put("a", "2");
        store.put("b", "3");
        store.clearCache();

        // then the store reads as of the commit
        assertThat(store.value("a")).isEqualTo("1");
        assertThat(store.value("b")).isNull();
        assertThat(store.entries()).containsExactly(entry("a", "1"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void shouldReadAndWriteAsTheUnboundedStoreDoesUnderAnySequenceOfChanges(final int bound) {
        // given two stores beneath with the same entries, one under an unbounded mirror, one under a bounded one
        final Map<String, String> initial = Map.of("k0", "a", "k3", "b", "k7", "c");
        final Beneath fullBeneath = Beneath.of(initial);
        final Beneath boundedBeneath = Beneath.of(initial);
        final MirroredStore<String, String> full = mirror(fullBeneath, 0);
        final MirroredStore<String, String> bounded = mirror(boundedBeneath, bound);
        final Random random = new Random(bound);

        for (int step = 0; step < 5_000; step++) {
            // when both see the same reads, puts, deletes and commits
            final String key = "k" + random.nextInt(12);
            final int op = random.nextInt(10);
            if (op < 4) {
                assertThat(bounded.value(key)).as("step %d: value of %s", step, key).isEqualTo(full.value(key));
            } else if (op < 7) {
                final String value = "v" + step;
                full.put(key, value);
                bounded.put(key, value);
            } else if (op < 9) {
                full.delete(key);
                bounded.delete(key);
            } else {
                full.flushCache();
                bounded.flushCache();
                // then after every commit the stores beneath hold the same
                assertThat(boundedBeneath.entries).as("step %d: store beneath", step).isEqualTo(fullBeneath.entries);
            }
            // and both show the same entries
            if (step % 50 == 0) {
                assertThat(new HashMap<>(bounded.entries())).as("step %d: entries", step).isEqualTo(new HashMap<>(full.entries()));
            }
        }
        assertThat(boundedBeneath.puts).as("puts that reached the bounded store's beneath").isPositive();
    }

    private static MirroredStore<String, String> mirror(final Beneath beneath, final int bound) {
        final MirroredStore<String, String> store = MirroredStore.<String, String>builder(beneath.builder(),
                bytes -> new String(bytes, StandardCharsets.UTF_8), value -> value.getBytes(StandardCharsets.UTF_8), bound).build();
        store.init(null, store);
        return store;
    }

    /** A key-value store over a sorted map that counts its reads and writes. */
    private static final class Beneath implements KeyValueStore<String, byte[]> {
        final TreeMap<String, String> entries = new TreeMap<>();
        int gets;
        int puts;
        int scans;
        int openIterators;

        static Beneath of(final Map<String, String> entries) {
            final Beneath beneath = new Beneath();
            beneath.entries.putAll(entries);
            return beneath;
        }

        StoreBuilder<KeyValueStore<String, byte[]>> builder() {
            final Beneath self = this;
            return new StoreBuilder<>() {
                @Override
                public StoreBuilder<KeyValueStore<String, byte[]>> withCachingEnabled() {
                    return this;
                }

                @Override
                public StoreBuilder<KeyValueStore<String, byte[]>> withCachingDisabled() {
                    return this;
                }

                @Override
                public StoreBuilder<KeyValueStore<String, byte[]>> withLoggingEnabled(final Map<String, String> config) {
                    return this;
                }

                @Override
                public StoreBuilder<KeyValueStore<String, byte[]>> withLoggingDisabled() {
                    return this;
                }

                @Override
                public KeyValueStore<String, byte[]> build() {
                    return self;
                }

                @Override
                public Map<String, String> logConfig() {
                    return Map.of();
                }

                @Override
                public boolean loggingEnabled() {
                    return false;
                }

                @Override
                public String name() {
                    return "beneath";
                }
            };
        }

        @Override
        public void put(final String key, final byte[] value) {
            puts++;
            entries.put(key, new String(value, StandardCharsets.UTF_8));
        }

        @Override
        public byte[] putIfAbsent(final String key, final byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putAll(final List<KeyValue<String, byte[]>> all) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] delete(final String key) {
            final String old = entries.remove(key);
            return old == null ? null : old.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] get(final String key) {
            gets++;
            final String value = entries.get(key);
            return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public KeyValueIterator<String, byte[]> range(final String from, final String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, byte[]> all() {
            scans++;
            openIterators++;
            final Iterator<Map.Entry<String, String>> all = new TreeMap<>(entries).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                    openIterators--;
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return all.hasNext();
                }

                @Override
                public KeyValue<String, byte[]> next() {
                    final Map.Entry<String, String> next = all.next();
                    return KeyValue.pair(next.getKey(), next.getValue().getBytes(StandardCharsets.UTF_8));
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return entries.size();
        }

        @Override
        public String name() {
            return "beneath";
        }

        @Override
        public void init(final StateStoreContext context, final StateStore root) {
            // nothing to open
        }

        @Override
        public void close() {
            // nothing to close
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
