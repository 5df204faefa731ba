package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code detector.state.cache-max-entries} changes how much state is held decoded in heap, never what the detector says: a
 * generated history of nine weeks (class-day traffic of two programs, a lesson spike, a lesson drop, a scraper, a late
 * cohort with inactive students) gives the same records on every output topic, and the same stores, with a bound of a
 * few entries as without one.
 */
class BoundedStateTopologyTest {

    private static final LocalDate FIRST_MONDAY = LocalDate.of(2019, 1, 7);
    private static final String[] JAVA = {"java-ii/arrays", "java-ii/loops", "spring/forms"};
    private static final String[] DATA = {"stats/probability", "python/pandas"};
    private static final List<String> STORES = List.of(MachineSpeedProcessor.IP_STORE, MachineSpeedProcessor.CLIENT_STORE,
            UserMachineSpeedProcessor.STORE, LessonBandProcessor.STORE, ViewStores.LESSONS, ViewStores.COHORT_LESSONS, ViewStores.USERS);

    private static Outcome unbounded;

    /** One log row: id, campus local time, path, user, cohort, IP. */
    private record Row(long id, String time, String path, Long user, Integer cohort, String ip) {
    }

    /** Everything the detector wrote: every output topic's records (key, value, timestamp) and every mirrored store's entries. */
    private record Outcome(List<Written<MachineSpeedAlert>> machineSpeed, List<Written<BandAlert>> bands,
                           List<Written<InactiveStudentAlert>> inactive, List<Written<String>> deadLetters, List<Written<String>> simulated,
                           Map<String, Map<String, String>> stores) {
    }

    private record Written<V>(String key, V value, long timestamp) {
    }

    @BeforeAll
    static void runUnbounded() {
        unbounded = run(Map.of());
    }

    @ParameterizedTest(name = "cache-max-entries {0}")
    @ValueSource(ints = {1, 4})
    void shouldRaiseTheSameAlertsAndKeepTheSameStoresWithATinyBoundAsUnbounded(final int bound) {
        // given the outcome of the history without a bound, which raised alerts of every kind
        assertThat(unbounded.machineSpeed()).as("machine-speed alerts").isNotEmpty();
        assertThat(unbounded.bands()).as("band alerts").extracting(w -> w.value().rule()).contains("band-spike", "band-drop");
        assertThat(unbounded.inactive()).as("inactive-student alerts").isNotEmpty();
        assertThat(unbounded.stores().get(ViewStores.USERS)).as("users in the views").hasSizeGreaterThan(40);

        // when the same history runs with a bound of a few entries per store
        final Outcome bounded = run(Map.of("detector.state.cache-max-entries", String.valueOf(bound)));

        // then every output and every store is the same
        assertThat(bounded.machineSpeed()).containsExactlyElementsOf(unbounded.machineSpeed());
        assertThat(bounded.bands()).containsExactlyElementsOf(unbounded.bands());
        assertThat(bounded.inactive()).containsExactlyElementsOf(unbounded.inactive());
        assertThat(bounded.deadLetters()).containsExactlyElementsOf(unbounded.deadLetters());
        assertThat(bounded.simulated()).containsExactlyElementsOf(unbounded.simulated());
        assertThat(bounded.stores()).isEqualTo(unbounded.stores());
    }

    private static Outcome run(final Map<String, String> settings) {
        try (DetectorDriver d = new DetectorDriver(settings)) {
            d.cohort(29, "Zion", "2018-09-01", "2019-12-20", 2);
            d.cohort(55, "Bayes", "2018-09-01", "2019-12-20", 3);
            d.cohort(31, "Apex", "2019-02-18", "2019-07-26", 2);
            for (final Row row : history()) {
                d.access(row.id(), row.time(), row.path(), row.user(), row.cohort(), row.ip());
            }
            final Map<String, Map<String, String>> stores = new TreeMap<>();
            for (final String name : STORES) {
                stores.put(name, entries(d.store(name)));
            }
            return new Outcome(written(d.suspiciousIp.readRecordsToList()), written(d.lessonBand.readRecordsToList()),
                    written(d.inactiveStudent.readRecordsToList()),
                    d.deadLetter.readRecordsToList().stream().map(r -> new Written<>(Arrays.toString(r.key()), Arrays.toString(r.value()),
                            r.timestamp())).toList(),
                    written(d.simulated.readRecordsToList()), stores);
        }
    }

    private static <V> List<Written<V>> written(final List<TestRecord<String, V>> records) {
        return records.stream().map(r -> new Written<>(r.key(), r.value(), r.timestamp())).toList();
    }

    private static Map<String, String> entries(final ReadOnlyKeyValueStore<String, byte[]> store) {
        final Map<String, String> entries = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(kv -> entries.put(kv.key, Arrays.toString(kv.value)));
        }
        return entries;
    }

    /** Nine weeks of traffic, in event-time order, the same on every call. */
    private static List<Row> history() {
        final Random random = new Random(20);
        final List<Row> rows = new ArrayList<>();
        for (int day = 0; day < 63; day++) {
            final LocalDate date = FIRST_MONDAY.plusDays(day);
            final boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
            final List<Row> today = new ArrayList<>();
            for (int l = 0; l < JAVA.length; l++) {
                final boolean dropped = day == 44 && l == 1;
                final int hits = dropped ? 0 : weekend ? 2 + random.nextInt(3) : (day == 38 && l == 0 ? 90 : 16 + random.nextInt(6));
                for (int h = 0; h < hits; h++) {
                    final boolean late = day >= 42 && random.nextInt(4) == 0;
                    final long user = late ? 3000 + random.nextInt(10) : 1000 + random.nextInt(30);
                    today.add(row(date, random, JAVA[l], user, late ? 31 : 29, weekend));
                }
            }
            for (final String lesson : DATA) {
                final int hits = weekend ? 1 + random.nextInt(2) : 12 + random.nextInt(5);
                for (int h = 0; h < hits; h++) {
                    today.add(row(date, random, lesson, 2000L + random.nextInt(20), 55, weekend));
                }
            }
            if (!weekend) {
                // Apex students 3010-3014: enrolled from the cohort's start, one access each on its first day, then silent
                if (date.equals(LocalDate.of(2019, 2, 18))) {
                    for (int s = 0; s < 5; s++) {
                        today.add(row(date, random, "java-ii/loops", 3010L + s, 31, false));
                    }
                }
            }
            if (day == 31) {
                // a scraper behind one address: forty distinct pages in twenty seconds, late at night
                for (int p = 0; p < 40; p++) {
                    today.add(new Row(0, date + " 23:10:" + String.format("%02d", p / 2), "java-ii/page-" + p, 1005L, 29, "203.0.113.9"));
                }
            }
            today.sort(Comparator.comparing(Row::time));
            for (final Row row : today) {
                rows.add(new Row(rows.size() + 1, row.time(), row.path(), row.user(), row.cohort(), row.ip()));
            }
        }
        return rows;
    }

    /** A hit of {@code user} at a random second of class hours (evenings at the weekend), from the campus NAT or from home. */
    private static Row row(final LocalDate date, final Random random, final String lesson, final long user, final int cohort, final boolean weekend) {
        final int second = (weekend ? 17 * 3600 : 9 * 3600) + random.nextInt(6 * 3600);
        final String time = String.format("%s %02d:%02d:%02d", date, second / 3600, second / 60 % 60, second % 60);
        final String ip = weekend || random.nextInt(5) == 0 ? "70.112." + (user % 200) + ".1" : "97.105.19." + (cohort % 250);
        return new Row(0, time, lesson, user, cohort, ip);
    }
}
