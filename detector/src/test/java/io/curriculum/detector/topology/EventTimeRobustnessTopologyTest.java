package io.curriculum.detector.topology;

import static io.curriculum.detector.testing.ChangeEvents.bytes;
import static io.curriculum.detector.testing.ChangeEvents.created;
import static io.curriculum.detector.testing.ChangeEvents.key;
import static io.curriculum.detector.testing.ChangeEvents.logRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.views.UserActivity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/** Event time against bad clocks, out-of-order rows, re-deliveries and the timing of the sweep; bounded state. */
class EventTimeRobustnessTopologyTest {

    private static final String IP = "204.44.112.76";

    @Test
    void shouldDeadLetterADateBeyondAnyCalendarWithoutStopping() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a row dated 547 million years ahead (days since epoch 200,000,000,000), then a burst
            d.rawLog(key(1), bytes(created(logRow(1, "2019-03-03T22:52:00", "a", 1L, 29, IP).put("date", 200_000_000_000L))));
            burst(d, 100, "2019-03-03 22:52:00", IP);

            // then the row is dead-lettered and the burst still flagged
            assertThat(d.deadLetters()).extracting(DetectorDriver.DeadLetter::reason).containsExactly("invalid-date");
            assertThat(d.alerts()).hasSize(2);
        }
    }

    @Test
    void shouldDeadLetterARowDatedInTheFutureSoItCannotMakeEveryLaterRowLate() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given one row from a broken clock, dated 2099 (the driver's wall clock is 2026-01-01), then real traffic
            d.access(1, "2099-01-01 00:00:00", "javascript-i/functions", 1L, 29, "10.0.0.1");
            burst(d, 100, "2019-03-03 22:52:00", IP);

            // then only the 2099 row is dead-lettered, and the 2019 burst is flagged
            final List<DetectorDriver.DeadLetter> letters = d.deadLetters();
            assertThat(letters).extracting(DetectorDriver.DeadLetter::reason).containsExactly("invalid-date");
            assertThat(letters.get(0).headers().get("dlq.detail")).contains("ahead of the wall clock");
            assertThat(d.alerts()).hasSize(2);
        }
    }

    @Test
    void shouldCostNoOtherRowWhenOneRowIsADayAhead() {
        // given a morning of rows from twenty addresses with a burst among them, and the same morning with one row dated a
        // day ahead in its middle
        final Morning clean = morning(false);
        final Morning skewed = morning(true);

        // then only that row is dead-lettered, as clock skew, and every other row counts as in the clean run
        assertThat(clean.deadLetters).isEmpty();
        assertThat(skewed.deadLetters).extracting(DetectorDriver.DeadLetter::reason).containsExactly("clock-skew");
        assertThat(skewed.deadLetters.get(0).value()).contains("\"id\":5000");
        assertThat(skewed.alerts).isEqualTo(clean.alerts).isNotEmpty();
        assertThat(skewed.accessesPerUser).isEqualTo(clean.accessesPerUser);
        assertThat(skewed.accessesPerUser.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(240);
    }

    @Test
    void shouldHoldTheFirstRowsAfterAWinterBreakUntilOtherAddressesAgree() {
        try (DetectorDriver d = DetectorDriver.holdingForClockSkew()) {
            // given an evening before the break
            d.access(1, "2019-12-20 18:00:00", "java-ii/arrays", 1L, 29, "10.0.0.1");
            d.access(2, "2019-12-20 18:01:00", "java-ii/arrays", 2L, 29, "10.0.0.2");
            // when the first rows come two weeks later, from two addresses
            d.access(3, "2020-01-06 08:00:00", "java-ii/loops", 3L, 29, "10.0.0.3");
            d.access(4, "2020-01-06 08:02:00", "java-ii/loops", 4L, 29, "10.0.0.4");

            // then they are held
            assertThat(d.view(ViewStores.USERS, "3")).isNull();

            // when a third address agrees
            d.access(5, "2020-01-06 08:03:00", "java-ii/loops", 5L, 29, "10.0.0.5");

            // then all three count, nothing is dead-lettered
            for (final String user : List.of("3", "4", "5")) {
                assertThat(UserActivity.decode(d.view(ViewStores.USERS, user)).accesses()).isEqualTo(1);
            }
            assertThat(d.deadLetters()).isEmpty();
            assertThat(DeadLetterAndDuplicateTopologyTest.metric(d, "rows-held-for-clock-skew-total")).isEqualTo(3.0);
        }
    }

    @Test
    void shouldForwardALiveRowAtOnceAfterAQuietHourWhenItIsOnTimeByTheWallClock() {
        try (DetectorDriver d = DetectorDriver.holdingForClockSkew()) {
            // given a row an hour before the wall clock (the driver's: 2026-01-01T00:00Z, 18:00 on campus)
            d.access(1, "2025-12-31 17:00:00", "java-ii/arrays", 1L, 29, "10.0.0.1");
            // when a single address reads a page half a minute before the wall clock, nobody else about
            d.access(2, "2025-12-31 17:59:30", "java-ii/loops", 2L, 29, "10.0.0.2");

            // then it counts at once: live traffic is not held for agreement
            assertThat(UserActivity.decode(d.view(ViewStores.USERS, "2")).accesses()).isEqualTo(1);
            assertThat(DeadLetterAndDuplicateTopologyTest.metric(d, "rows-held-for-clock-skew-total")).isZero();
        }
    }

    @Test
    void shouldReleaseTheRowsStillHeldAtTheEndOfTheInput() {
        try (DetectorDriver d = DetectorDriver.holdingForClockSkew()) {
            // given a row, then an hour later rows of one address only (nobody to agree)
            d.access(1, "2019-03-04 08:00:00", "java-ii/arrays", 1L, 29, "10.0.0.1");
            d.access(2, "2019-03-04 09:00:00", "java-ii/loops", 2L, 29, "10.0.0.2");
            d.access(3, "2019-03-04 09:00:05", "java-ii/maps", 2L, 29, "10.0.0.2");
            assertThat(d.view(ViewStores.USERS, "2")).isNull();

            // when the input ends
            d.endOfInput();

            // then they count
            assertThat(UserActivity.decode(d.view(ViewStores.USERS, "2")).accesses()).isEqualTo(2);
            assertThat(d.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldAbsorbAReDeliveryOfAHeldRow() {
        try (DetectorDriver d = DetectorDriver.holdingForClockSkew()) {
            // given a row held an hour ahead, delivered twice
            d.access(1, "2019-03-04 08:00:00", "java-ii/arrays", 1L, 29, "10.0.0.1");
            d.access(2, "2019-03-04 09:00:00", "java-ii/loops", 2L, 29, "10.0.0.2");
            d.access(2, "2019-03-04 09:00:00", "java-ii/loops", 2L, 29, "10.0.0.2");

            // when the input ends, then it counts once
            d.endOfInput();
            assertThat(UserActivity.decode(d.view(ViewStores.USERS, "2")).accesses()).isEqualTo(1);
            assertThat(DeadLetterAndDuplicateTopologyTest.metric(d, "duplicates-absorbed-total")).isEqualTo(1.0);
        }
    }

    /** What a run of {@link #morning} left: machine-speed alerts, dead letters, accesses per user id. */
    private record Morning(List<String> alerts, List<DetectorDriver.DeadLetter> deadLetters, Map<String, Long> accessesPerUser) {
    }

    /** 210 rows of twenty addresses from 09:00, a 30-page burst at 09:30, and maybe one row dated a day ahead among them. */
    private static Morning morning(final boolean withSkewedRow) {
        try (DetectorDriver d = DetectorDriver.holdingForClockSkew()) {
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            for (int i = 0; i < 210; i++) {
                if (i == 60) {
                    burst(d, 1000, "2019-03-04 09:30:00", IP);
                }
                if (withSkewedRow && i == 100) {
                    d.access(5000, "2019-03-05 09:50:00", "java-ii/tomorrow", 999L, 29, "10.9.9.9");
                }
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-04 09:00:00", i * 30L), "java-ii/page-" + i % 7, 100L + i % 20, 29,
                        "10.0.0." + i % 20);
            }
            d.endOfInput();
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
            final List<String> alerts = new ArrayList<>();
            for (final KeyValue<String, MachineSpeedAlert> alert : d.suspiciousIp.readKeyValuesToList()) {
                alerts.add(alert.key + " " + alert.value);
            }
            final Map<String, Long> users = new TreeMap<>();
            for (int u = 0; u < 20; u++) {
                users.put(String.valueOf(100 + u), UserActivity.decode(d.view(ViewStores.USERS, String.valueOf(100 + u))).accesses());
            }
            users.put("341", UserActivity.decode(d.view(ViewStores.USERS, "341")).accesses());
            return new Morning(alerts, d.deadLetters(), users);
        }
    }

    @Test
    void shouldAbsorbReDeliveriesOlderThanTheGraceAndStillCountNewOldRows() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a morning of rows, ids 1..30
            for (int i = 0; i < 30; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-04 09:00:00", i * 60L), "java-ii/page-" + i, 1L + i, 29, "10.0.0." + i);
            }
            // when Debezium re-snapshots them two hours later in event time (after newer rows), and one new row is late
            d.access(31, "2019-03-04 11:30:00", "java-ii/arrays", 99L, 29, "10.0.1.1");
            for (int i = 0; i < 30; i++) {
                d.logs.pipeInput(key(1 + i), bytes(io.curriculum.detector.testing.ChangeEvents.envelope("r", null,
                        logRow(1 + i, DetectorDriver.plusSeconds("2019-03-04 09:00:00", i * 60L).replace(' ', 'T'), "java-ii/page-" + i, 1L + i, 29, "10.0.0." + i))));
            }
            d.access(32, "2019-03-04 09:15:00", "java-ii/late", 98L, 29, "10.0.1.2");

            // then the 30 re-delivered rows are absorbed, and the new old row is counted, not dead-lettered
            assertThat(DeadLetterAndDuplicateTopologyTest.metric(d, "duplicates-absorbed-total")).isEqualTo(30.0);
            assertThat(d.deadLetters()).isEmpty();
            assertThat(UserActivity.decode(d.view(ViewStores.USERS, "98")).accesses()).isEqualTo(1);
        }
    }

    @Test
    void shouldYieldTheSameAlertsWhetherTheSweepRunsAfterEveryRowOrNever() {
        // given rows that arrive out of order within the grace, around quiet gaps, behind the same address
        final List<Consumer<DetectorDriver>> rows = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            final int n = i;
            rows.add(d -> d.access(1 + n, DetectorDriver.plusSeconds("2019-03-04 12:00:00", n / 6), "lesson/page-" + n, 341L, 29, IP));
        }
        rows.add(d -> d.access(100, "2019-03-04 12:06:00", "other/page", 7L, 29, "8.8.8.8"));
        // page 30 of the burst, six minutes late but within the 10-minute grace
        rows.add(d -> d.access(101, "2019-03-04 12:00:06", "lesson/page-29", 341L, 29, IP));
        for (int i = 0; i < 40; i++) {
            final int n = i;
            rows.add(d -> d.access(200 + n, DetectorDriver.plusSeconds("2019-03-04 12:05:00", n / 8), "lesson/second-" + n, 341L, 29, IP));
        }
        rows.add(d -> d.access(300, "2019-03-04 12:05:30", "other/page-2", 7L, 29, "8.8.8.8"));
        // an out-of-order row of the second burst, earlier than its first row
        rows.add(d -> d.access(301, "2019-03-04 12:04:59", "lesson/second-x", 341L, 29, IP));
        rows.add(d -> d.access(400, "2019-03-04 13:00:00", "other/page-3", 7L, 29, "8.8.8.8"));

        // when the same rows are fed twice: sweeping after every row, and only once at the end
        final List<String> eager = run(rows, true);
        final List<String> lazy = run(rows, false);

        // then the same alerts come out, and the late page 30 did complete the first burst
        assertThat(eager).isEqualTo(lazy);
        assertThat(eager).anyMatch(a -> a.startsWith("burst|ip|204.44.112.76|2019-03-04T18:00:00Z open"));
        assertThat(eager).anyMatch(a -> a.startsWith("burst|ip|204.44.112.76|2019-03-04T18:00:00Z closed"));
    }

    @Test
    void shouldCloseAnEpisodeUnderTheKeyItOpenedWithWhenAnEarlierRowJoinsIt() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a burst that opens at 22:52:00, then a row of the same burst stamped five seconds earlier
            burst(d, 1, "2019-03-03 22:52:00", IP);
            d.access(99, "2019-03-03 22:51:55", "lesson/early", 341L, 29, IP);
            // when the episode ends
            d.access(500, "2019-03-03 23:10:00", "x/y", 7L, 29, "8.8.8.8");
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);

            // then open and closed alerts share their keys, and the closed evidence starts at the earlier row
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts.stream().map(MachineSpeedAlert::alertId).distinct()).containsExactlyInAnyOrder(
                    "burst|ip|204.44.112.76|2019-03-04T04:52:00Z", "burst|client|204.44.112.76|341|2019-03-04T04:52:00Z");
            assertThat(alerts).filteredOn(a -> a.status().equals("closed")).allSatisfy(a ->
                    assertThat(a.windowStart()).isEqualTo(DetectorDriver.at("2019-03-03 22:51:55")));
        }
    }

    @Test
    void shouldNotReopenAClosedBurstWhenALateRowOfItArrives() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a burst, closed because the same client came back after the gap (its own time moved on)
            burst(d, 1, "2019-03-03 22:52:00", IP);
            d.access(100, "2019-03-03 22:58:00", "x/y", 341L, 29, IP);
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
            assertThat(d.alerts()).extracting(MachineSpeedAlert::status).containsExactly("open", "open", "closed", "closed");

            // when a row of that burst arrives late, within the grace
            d.access(200, "2019-03-03 22:52:01", "lesson/late-page", 341L, 29, IP);
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);

            // then no second alert: the episode stays closed
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldNotOpenASecondEpisodeWhenALateRowLandsInsideALongClosedBurst() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given 120 pages over a minute, closed after event time moved on
            for (int i = 0; i < 120; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 2), "lesson/page-" + i, 341L, 29, IP);
            }
            d.access(500, "2019-03-03 22:59:00", "x/y", 7L, 29, "8.8.8.8");
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
            d.alerts();

            // when a late row of its last second arrives
            d.access(600, "2019-03-03 22:52:58", "lesson/late-page", 341L, 29, IP);
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);

            // then nothing opens
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldForgetIdleClientsAndOldRowIdsSoStateStaysBounded() {
        try (DetectorDriver d = new DetectorDriver()) {
            // given a thousand clients within an hour, a burst among them
            for (int i = 0; i < 1000; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-04 14:00:00", i * 3L), "java-ii/page-" + i % 50, (long) i, 29, "10.0." + i / 250 + "." + i % 250);
            }
            burst(d, 5000, "2019-03-04 15:00:00", IP);
            assertThat(count(d.store(MachineSpeedProcessor.CLIENT_STORE))).isEqualTo(1001);

            // when event time moves on three hours and the sweep runs
            d.access(9000, "2019-03-04 18:30:00", "java-ii/arrays", 1L, 29, "10.9.9.9");
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);

            // then only the newest client and address are remembered, and only the newest row id
            assertThat(keys(d.store(MachineSpeedProcessor.CLIENT_STORE))).containsExactly("10.9.9.9|1");
            assertThat(keys(d.store(MachineSpeedProcessor.IP_STORE))).containsExactly("10.9.9.9");
            assertThat(count(d.store(LogIntakeProcessor.STORE))).isEqualTo(1);
        }
    }

    private static List<String> run(final List<Consumer<DetectorDriver>> rows, final boolean sweepAfterEveryRow) {
        try (DetectorDriver d = new DetectorDriver(Map.of())) {
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            for (final Consumer<DetectorDriver> row : rows) {
                row.accept(d);
                if (sweepAfterEveryRow) {
                    d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
                }
            }
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
            final TreeSet<String> alerts = new TreeSet<>();
            for (final KeyValue<String, MachineSpeedAlert> alert : d.suspiciousIp.readKeyValuesToList()) {
                alerts.add(alert.key + " " + alert.value.status() + " " + alert.value);
            }
            return new ArrayList<>(alerts);
        }
    }

    private static void burst(final DetectorDriver d, final long firstId, final String start, final String ip) {
        for (int i = 0; i < 30; i++) {
            d.access(firstId + i, DetectorDriver.plusSeconds(start, i / 10), "lesson/page-" + i, 341L, 29, ip);
        }
    }

    private static <K, V> int count(final ReadOnlyKeyValueStore<K, V> store) {
        return keys(store).size();
    }

    private static <K, V> List<K> keys(final ReadOnlyKeyValueStore<K, V> store) {
        final List<K> keys = new ArrayList<>();
        try (KeyValueIterator<K, V> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }
}
