package io.curriculum.detector.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The alert ids and the client key read back what the topology writes, and say what is wrong with anything else. */
class AlertIdsTest {

    private static final Instant TIME = Instant.parse("2019-05-13T19:20:00Z");

    @Test
    void shouldReadBackAClientAlertIdWhoseKeyHoldsASeparator() {
        // given
        final MachineSpeedAlertId id = new MachineSpeedAlertId("burst", "client", new ClientKey("72.191.33.138", 247L).text(), TIME);

        // when
        final MachineSpeedAlertId parsed = MachineSpeedAlertId.parse(id.text());

        // then
        assertThat(id.text()).isEqualTo("burst|client|72.191.33.138|247|2019-05-13T19:20:00Z");
        assertThat(parsed).isEqualTo(id);
        assertThat(ClientKey.parse(parsed.key())).isEqualTo(new ClientKey("72.191.33.138", 247L));
    }

    @Test
    void shouldReadBackAClientKeyWithoutUserAndAnIpv6Address() {
        // given
        final ClientKey key = new ClientKey("2001:db8::7", null);

        // then
        assertThat(key.text()).isEqualTo("2001:db8::7|-");
        assertThat(ClientKey.parse(key.text())).isEqualTo(key);
    }

    @Test
    void shouldNameTheWrongPartOfAMachineSpeedAlertId() {
        // then
        assertThatThrownBy(() -> MachineSpeedAlertId.parse("burst|ip|203.0.113.9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a machine-speed alert id").hasMessageContaining("<rule>|<scope>|<key>|<time>");
        assertThatThrownBy(() -> MachineSpeedAlertId.parse("burst|lab|203.0.113.9|2019-05-13T19:20:00Z"))
                .hasMessageContaining("unknown scope 'lab'");
        assertThatThrownBy(() -> MachineSpeedAlertId.parse("crawl|ip|203.0.113.9|yesterday")).hasMessageContaining("'yesterday' is not an ISO-8601 instant");
        assertThatThrownBy(() -> MachineSpeedAlertId.parse("crawl|client|203.0.113.9|x|2019-05-13T19:20:00Z")).hasMessageContaining("'x'");
    }

    @Test
    void shouldReadBackABandAlertIdOfAWholeProgram() {
        // given
        final BandAlertId id = new BandAlertId("band-drop", 2, "*", TIME);

        // when
        final BandAlertId parsed = BandAlertId.parse(id.text());

        // then
        assertThat(id.text()).isEqualTo("band-drop|2|*|2019-05-13T19:20:00Z");
        assertThat(parsed).isEqualTo(id);
        assertThat(parsed.series()).isEqualTo("2|*");
        assertThat(BandAlertId.looksLikeOne(id.text())).isTrue();
        assertThat(MachineSpeedAlertId.looksLikeOne(id.text())).isFalse();
    }

    @Test
    void shouldNameTheWrongPartOfABandAlertId() {
        // then
        assertThatThrownBy(() -> BandAlertId.parse("band-spike|two|java-ii/arrays|2019-05-13T19:20:00Z")).hasMessageContaining("'two' is not a program id");
        assertThatThrownBy(() -> BandAlertId.parse("band-spike|2")).hasMessageContaining("not a band alert id");
    }
}
