package io.curriculum.detector.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.config.TopicNames;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.CohortSeen;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Alerts read back into their records and written again give the bytes the topology wrote: the alerts file of a replay is the
 * alert topics' JSON, byte for byte, whether the alert went through the registry's serde or the mixed {@link AlertSerde}.
 */
class AlertSerdeTest {

    private static final Instant TIME = Instant.parse("2019-05-13T19:20:00.125Z");

    @Test
    void shouldWriteAReadBackMachineSpeedAlertAsTheTopologyWroteIt() {
        // given
        final MachineSpeedAlert alert = machineSpeed(247L, List.of("72.191.33.138", "2001:db8::7"));
        final byte[] written = new JsonSerde<>(MachineSpeedAlert.class).serializer().serialize("t", alert);

        // when
        final AlertRecord read = new AlertSerde().deserializer().deserialize("t", written);

        // then
        assertThat(read).isEqualTo(alert);
        assertThat(AlertSerde.text(read)).isEqualTo(new String(written, StandardCharsets.UTF_8));
        assertThat(new AlertSerde().serializer().serialize("t", read)).isEqualTo(written);
    }

    @Test
    void shouldKeepTheNullsOfAnIpScopeAlert() {
        // given an ip-scope alert: no user, no user ids, no cohorts
        final MachineSpeedAlert alert = machineSpeed(null, List.of());
        final String written = new String(new JsonSerde<>(MachineSpeedAlert.class).serializer().serialize("t", alert), StandardCharsets.UTF_8);

        // when
        final AlertRecord read = AlertSerde.parse(written);

        // then
        assertThat(read).isEqualTo(alert);
        assertThat(written).contains("\"userId\":null");
        assertThat(AlertSerde.text(read)).isEqualTo(written);
    }

    @Test
    void shouldReadEachKindIntoItsRecordByItsRule() {
        // given
        final List<AlertRecord> alerts = List.of(machineSpeed(247L, List.of("72.191.33.138")), band(null, null), band(412L, 1.37), inactive());

        // when
        final List<AlertRecord> read = alerts.stream().map(AlertSerde::text).map(AlertSerde::parse).toList();

        // then
        assertThat(read).isEqualTo(alerts);
        assertThat(read).extracting(AlertRecord::getClass).containsExactly(MachineSpeedAlert.class, BandAlert.class, BandAlert.class,
                InactiveStudentAlert.class);
    }

    @Test
    void shouldReadTheAlertTopicsWithTheRegistrysSerdesAlike() {
        // given
        final Topics topics = Topics.of(new TopicNames("l", "c", "s", "b", "i", "d", "t", "r", "f", "x"));
        final BandAlert alert = band(412L, 1.37);

        // when
        final byte[] written = topics.lessonBand().valueSerde().serializer().serialize("t", alert);

        // then
        assertThat(new AlertSerde().deserializer().deserialize("t", written)).isEqualTo(alert);
        assertThat(new AlertSerde().serializer().serialize("t", alert)).isEqualTo(written);
    }

    @Test
    void shouldReadTheSimulationTopicsMixedAlertsWithItsRegistrySerde() {
        // given a machine-speed and a band alert written with their live topics' serdes, as the topology sends them to simulation
        final Topics topics = Topics.of(new TopicNames("l", "c", "s", "b", "i", "d", "t", "r", "f", "x"));
        final MachineSpeedAlert machine = machineSpeed(247L, List.of("72.191.33.138"));
        final BandAlert band = band(null, null);
        final byte[] machineBytes = topics.suspiciousIp().valueSerde().serializer().serialize("x", machine);
        final byte[] bandBytes = topics.lessonBand().valueSerde().serializer().serialize("x", band);

        // when
        final AlertRecord readMachine = topics.simulated().valueSerde().deserializer().deserialize("x", machineBytes);
        final AlertRecord readBand = topics.simulated().valueSerde().deserializer().deserialize("x", bandBytes);

        // then
        assertThat(readMachine).isEqualTo(machine);
        assertThat(readBand).isEqualTo(band);
    }

    @Test
    void shouldPassTombstonesThroughAndRefuseWhatIsNoAlert() {
        // given
        final AlertSerde serde = new AlertSerde();

        // then
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{\"rule\":\"nonsense\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("nonsense");
        assertThatThrownBy(() -> AlertSerde.parse("not json")).isInstanceOf(SerializationException.class);
    }

    private static MachineSpeedAlert machineSpeed(final Long userId, final List<String> ips) {
        final MachineSpeedAlert.Threshold threshold = new MachineSpeedAlert.Threshold(Duration.ofMinutes(2), 30, 4.0, null, null, null, null);
        return new MachineSpeedAlert(userId == null ? "burst|ip|72.191.33.138|2019-05-13T19:20:00Z" : "burst|client|72.191.33.138|247|2019-05-13T19:20:00Z",
                "burst", userId == null ? "ip" : "client", "closed", "72.191.33.138", userId, ips, threshold, 0.1, TIME.minusSeconds(95), TIME,
                TIME.minusSeconds(10), 1234L, 57, userId == null ? List.of() : List.of(userId),
                userId == null ? List.of() : Arrays.asList(new CohortSeen(61, "Zion", 2), new CohortSeen(null, null, 0)),
                List.of("student"), List.of("java-ii/arrays", "javascript-i/loops"), MachineSpeedAlert.RULE_ID, 3, true);
    }

    private static BandAlert band(final Long programCount, final Double programActivity) {
        return new BandAlert("band-spike|2|java-ii/arrays|2019-03-04T06:00:00Z", "band-spike", "open", "poisson", 2, "Java", "java-ii/arrays",
                TIME, TIME.plus(Duration.ofDays(1)), 97, 12.5, 3.25, 22.75, 6.12, programCount, programActivity, 12.0, 3.46, 3.0, 28, TIME, 1, 97,
                12.5, TIME, BandAlert.RULE_ID, 0, false);
    }

    private static InactiveStudentAlert inactive() {
        return new InactiveStudentAlert("inactive-student|417|61", InactiveStudentAlert.RULE, 417, 61, "Zion", 2, "Java",
                LocalDate.parse("2019-03-04"), LocalDate.parse("2019-03-15"), 10, 2, 5, TIME, null, TIME);
    }
}
