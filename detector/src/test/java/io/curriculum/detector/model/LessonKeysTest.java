package io.curriculum.detector.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lesson keys read back what the topology writes, lessons with separators of their own included. */
class LessonKeysTest {

    @Test
    void shouldReadBackALessonKeyAndAWholeProgramSeries() {
        // given
        final LessonKey lesson = new LessonKey(2, "java-ii/arrays");
        final LessonKey program = new LessonKey(-1, LessonKey.WHOLE_PROGRAM);

        // then
        assertThat(lesson.text()).isEqualTo("2|java-ii/arrays");
        assertThat(LessonKey.parse(lesson.text())).isEqualTo(lesson);
        assertThat(LessonKey.parse(program.text())).isEqualTo(program).matches(LessonKey::wholeProgram);
        assertThat(new BandAlertId("band-spike", 2, "java-ii/arrays", Instant.EPOCH).series()).isEqualTo(lesson.text());
    }

    @Test
    void shouldKeepASeparatorInsideTheLesson() {
        // given a lesson whose path holds a separator of its own
        final LessonKey lesson = new LessonKey(3, "odd|path");
        final CohortLessonKey cohortLesson = new CohortLessonKey(3, Integer.MAX_VALUE, "odd|path");

        // then
        assertThat(LessonKey.parse(lesson.text())).isEqualTo(lesson);
        assertThat(CohortLessonKey.parse(cohortLesson.text())).isEqualTo(cohortLesson);
        assertThat(CohortLessonKey.parse(cohortLesson.text()).lessonKey()).isEqualTo(lesson);
        assertThat(cohortLesson.text()).isEqualTo("3|2147483647|odd|path");
    }

    @Test
    void shouldNameWhatIsWrongWithAKeyThatIsNone() {
        // then
        assertThatThrownBy(() -> LessonKey.parse("java-ii/arrays")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<programId>|<lesson>");
        assertThatThrownBy(() -> LessonKey.parse("x|java-ii/arrays")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> CohortLessonKey.parse("2|java-ii/arrays")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<cohortId>");
        assertThatThrownBy(() -> CohortLessonKey.parse("2|x|java-ii/arrays")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRangeOverEveryClientOfAnAddressAndNoOther() {
        // given
        final String ip = "10.0.0.1";

        // then
        assertThat(new ClientKey(ip, 247L).text()).isBetween(ClientKey.firstOf(ip), ClientKey.lastOf(ip));
        assertThat(new ClientKey(ip, null).text()).isBetween(ClientKey.firstOf(ip), ClientKey.lastOf(ip));
        assertThat(new ClientKey("10.0.0.10", 247L).text()).isLessThan(ClientKey.firstOf(ip));
        assertThat(new ClientKey("10.0.0.1~", 247L).text()).isGreaterThan(ClientKey.lastOf(ip));
    }
}
