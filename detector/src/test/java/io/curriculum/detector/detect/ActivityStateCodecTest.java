package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The edges of the activity state's binary form; full states round-trip in {@code MachineSpeedRulesTest}. The version byte is
 * the shared {@link io.curriculum.detector.serde.FormatVersion}.
 */
class ActivityStateCodecTest {

    @Test
    void shouldRoundTripAnEmptyState() {
        // given a state that has seen nothing
        final ActivityState empty = new ActivityState();

        // when
        final byte[] encoded = ActivityStateCodec.encode(empty);
        final ActivityState decoded = ActivityStateCodec.decode(encoded);

        // then
        assertThat(encoded[0]).as("version byte").isEqualTo((byte) 2);
        assertThat(ActivityStateCodec.encode(decoded)).isEqualTo(encoded);
        assertThat(decoded.lastSeen()).isEqualTo(ActivityState.NEVER);
        assertThat(decoded.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldRefuseAStateOfAnUnknownVersion() {
        // given
        final byte[] encoded = ActivityStateCodec.encode(new ActivityState());
        encoded[0] = 3;

        // then
        assertThatThrownBy(() -> ActivityStateCodec.decode(encoded)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("activity state of unknown version 3");
    }
}
