package io.curriculum.detector.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.model.Access;
import io.curriculum.detector.model.Role;
import io.curriculum.detector.model.ViewHit;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The repartition topics' binary values read back what was written, edge values included, and the one version byte
 * ({@link FormatVersion}) turns away what another build wrote.
 */
class BinaryFormatsTest {

    private static final AccessSerde ACCESSES = new AccessSerde();
    private static final ViewHitSerde HITS = new ViewHitSerde();

    @Test
    void shouldRoundTripAnAccessWithEveryFieldSet() {
        // given
        final Access access = new Access(Long.MAX_VALUE, LocalDateTime.parse("2019-03-04T10:00:08.123456789"),
                Instant.parse("2019-03-04T16:00:08.123Z"), "java-ii/ärrays?x=1", 247L, 61, "2001:db8::7");

        // when
        final Access read = roundTrip(ACCESSES, access);

        // then
        assertThat(read).isEqualTo(access);
    }

    @Test
    void shouldRoundTripAnAccessWithoutUserCohortOrAddress() {
        // given edge values: no user, no cohort, no address, an empty path, the epoch
        final Access access = new Access(0, LocalDateTime.parse("1970-01-01T00:00:00"), Instant.EPOCH, "", null, null, null);

        // when
        final Access read = roundTrip(ACCESSES, access);

        // then
        assertThat(read).isEqualTo(access);
        assertThat(read.userId()).isNull();
        assertThat(read.cohortId()).isNull();
        assertThat(read.ip()).isNull();
    }

    @Test
    void shouldRoundTripAViewHitOfEveryRole() {
        for (final Role role : Role.values()) {
            // given
            final ViewHit hit = new ViewHit(Long.MIN_VALUE + 1, LocalDate.parse("2019-03-04"), role == Role.UNKNOWN ? null : 612L,
                    role == Role.UNKNOWN ? null : Integer.MAX_VALUE, -1, role, "javascript-i/lœps", role == Role.UNKNOWN ? null : "10.0.0.1");

            // when
            final ViewHit read = roundTrip(HITS, hit);

            // then
            assertThat(read).as(role.name()).isEqualTo(hit);
        }
    }

    @Test
    void shouldPassTombstonesThrough() {
        // then
        assertThat(ACCESSES.serializer().serialize("t", null)).isNull();
        assertThat(ACCESSES.deserializer().deserialize("t", null)).isNull();
        assertThat(HITS.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldRefuseAValueOfAnotherVersionOrCutShort() {
        // given the bytes of a view hit, once with a version byte of a newer build, once cut short
        final byte[] bytes = HITS.serializer().serialize("t", new ViewHit(1, LocalDate.EPOCH, 1L, 1, 1, Role.STUDENT, "a", "b"));
        final byte[] newer = bytes.clone();
        newer[0] = 2;
        final byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        // then
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThatThrownBy(() -> HITS.deserializer().deserialize("by-user", newer)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("view hit of unknown version 2").hasMessageContaining("by-user");
        assertThatThrownBy(() -> HITS.deserializer().deserialize("by-user", cut)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("malformed view hit in by-user");
    }

    @Test
    void shouldReadTheVersionsItKnowsAndNameTheOthers() throws IOException {
        // given a format in its third version that still reads the second
        final FormatVersion format = new FormatVersion("thing", 2, 3);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            format.write(out);
        }

        // then
        assertThat(bytes.toByteArray()).containsExactly(3);
        assertThat(format.read(new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())))).isEqualTo(3);
        assertThat(format.read(ByteBuffer.wrap(new byte[] {2}))).isEqualTo(2);
        assertThatThrownBy(() -> format.read(ByteBuffer.wrap(new byte[] {1}))).isInstanceOf(SerializationException.class)
                .hasMessage("thing of unknown version 1: this build reads versions 2 to 3");
        assertThatThrownBy(() -> format.read(ByteBuffer.wrap(new byte[] {4}))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("newer build");
        assertThatThrownBy(() -> format.read(ByteBuffer.wrap(new byte[] {-1}))).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> new FormatVersion("thing", 3, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    private static <T> T roundTrip(final BinarySerde<T> serde, final T value) {
        final byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(bytes[0]).as("version byte").isEqualTo((byte) 1);
        final T read = serde.deserializer().deserialize("t", bytes);
        assertThat(serde.serializer().serialize("t", read)).as("identical bytes").isEqualTo(bytes);
        return read;
    }
}
