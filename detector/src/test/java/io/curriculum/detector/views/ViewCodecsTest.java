package io.curriculum.detector.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.model.Role;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The views' binary values in the state stores read back what was written, edge values included; the older lesson stats too. */
class ViewCodecsTest {

    private static final long T0 = 1_551_700_000_000L;

    @Test
    void shouldRoundTripLessonStatsWithCohortsAndTheMostReaders() {
        // given
        LessonStats stats = LessonStats.first(T0, Role.STUDENT, 61, 247L);
        stats = stats.plus(T0 + 5, Role.ALUMNUS, 12, Long.MAX_VALUE).plus(T0 - 5, Role.STAFF, null, null)
                .plus(T0 + 9, Role.STUDENT, Integer.MIN_VALUE, 3L).plus(T0 + 10, Role.STUDENT, 61, 4L);

        // when
        final LessonStats read = LessonStats.decode(stats.encode());

        // then
        assertThat(read.encode()).isEqualTo(stats.encode());
        assertThat(read.hits()).isEqualTo(5);
        assertThat(read.studentHits()).isEqualTo(3);
        assertThat(read.alumniHits()).isEqualTo(1);
        assertThat(read.staffHits()).isEqualTo(1);
        assertThat(read.firstSeen()).isEqualTo(T0 - 5);
        assertThat(read.lastSeen()).isEqualTo(T0 + 10);
        assertThat(read.studentCohorts()).containsExactly(Integer.MIN_VALUE, 61);
        assertThat(read.readers()).containsExactly(247L, Long.MAX_VALUE, 3L);
    }

    @Test
    void shouldRoundTripLessonStatsWithoutCohortsOrReaders() {
        // given a lesson only staff without an account read
        final LessonStats stats = LessonStats.first(T0, Role.STAFF, null, null);

        // when
        final LessonStats read = LessonStats.decode(stats.encode());

        // then
        assertThat(read.encode()).isEqualTo(stats.encode());
        assertThat(read.studentCohorts()).isEmpty();
        assertThat(read.readers()).isEmpty();
    }

    @Test
    void shouldReadLessonStatsOfTheFirstVersionWithoutReaders() throws IOException {
        // given the bytes version 1 wrote: no readers
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            for (final long field : new long[] {7, 5, 1, 1, T0, T0 + 1}) {
                out.writeLong(field);
            }
            out.writeShort(1);
            out.writeInt(61);
        }

        // when
        final LessonStats read = LessonStats.decode(bytes.toByteArray());

        // then
        assertThat(read.hits()).isEqualTo(7);
        assertThat(read.studentCohorts()).containsExactly(61);
        assertThat(read.readers()).isEmpty();
        assertThat(read.encode()[0]).isEqualTo((byte) 2);
    }

    @Test
    void shouldRoundTripAJudgedStudentsActivity() {
        // given a student seen in two cohorts and sections, enrolled, with days in and out of the window, judged
        final UserActivity user = new UserActivity();
        user.access(T0, 61, 2, Role.STUDENT, "java-ii");
        user.access(T0 + 1000, 12, 1, Role.ALUMNUS, "spring");
        user.access(T0 + 2000, null, 2, Role.UNKNOWN, null);
        user.enrol(61, 2, LocalDate.parse("2019-03-04"), LocalDate.parse("2019-03-04"), LocalDate.parse("2019-03-18"));
        user.studentAccess(T0, LocalDate.parse("2019-03-05"));
        user.studentAccess(T0 + 3000, LocalDate.parse("2019-03-20"));
        user.studentAccess(T0 + 4000, LocalDate.parse("2021-12-31"));
        user.judge(5);

        // when
        final UserActivity read = UserActivity.decode(user.encode());

        // then
        assertThat(read.encode()).isEqualTo(user.encode());
        assertThat(read.accesses()).isEqualTo(3);
        assertThat(read.sightings()).isEqualTo(user.sightings()).hasSize(2);
        assertThat(read.sections()).containsEntry("java-ii", 1).containsEntry("spring", 1).hasSize(2);
        assertThat(read.studentCohort()).isEqualTo(61);
        assertThat(read.studentAccesses()).isEqualTo(3);
        assertThat(read.activeDays()).isEqualTo(user.activeDays());
        assertThat(read.windowStart()).isEqualTo(user.windowStart());
        assertThat(read.windowEnd()).isEqualTo(user.windowEnd());
        assertThat(read.windowAccesses()).isEqualTo(1);
        assertThat(read.judgement()).isEqualTo(UserActivity.Judgement.INACTIVE);
    }

    @Test
    void shouldRoundTripAUserNeverEnrolled() {
        // given an activity with nothing in it
        final UserActivity user = new UserActivity();

        // when
        final UserActivity read = UserActivity.decode(user.encode());

        // then
        assertThat(read.encode()).isEqualTo(user.encode());
        assertThat(read.accesses()).isZero();
        assertThat(read.sightings()).isEmpty();
        assertThat(read.judgement()).isEqualTo(user.judgement());
    }

    @Test
    void shouldRefuseViewsOfAnotherVersionOrCutShort() {
        // given
        final byte[] user = new UserActivity().encode();
        user[0] = 9;
        final byte[] stats = LessonStats.first(T0, Role.STUDENT, 61, 1L).encode();
        final byte[] cut = java.util.Arrays.copyOf(stats, 10);

        // then
        assertThatThrownBy(() -> UserActivity.decode(user)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("user activity of unknown version 9");
        assertThatThrownBy(() -> LessonStats.decode(cut)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("malformed lesson stats");
    }
}
