package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A long as a store value: eight bytes, big-endian, no version byte (stores written so far hold exactly that). */
class LongsTest {

    @Test
    void shouldRoundTripEdgeValuesInEightBigEndianBytes() {
        for (final long value : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_551_700_000_000L}) {
            // when
            final byte[] bytes = Longs.encode(value);

            // then
            assertThat(bytes).hasSize(Long.BYTES);
            assertThat(Longs.decode(bytes)).as(String.valueOf(value)).isEqualTo(value);
        }
        assertThat(Longs.encode(1L)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
    }
}
