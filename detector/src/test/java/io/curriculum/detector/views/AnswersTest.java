package io.curriculum.detector.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {

    private static final long DAY = 86_400_000L;
    private static final long T0 = Instant.parse("2019-01-08T15:00:00Z").toEpochMilli();

    private final Views views = new Views();
    private long nextUser = 1000;

    private void cohort(final int id, final String name, final String start, final String end) {
        views.addCohort(new Cohort(id, name, null, LocalDate.parse(start), LocalDate.parse(end), false, 2));
    }

    /** {@code hits} student hits of a cohort on a lesson, by {@code users} distinct users, from day {@code day} on. */
    private void read(final int cohort, final String lesson, final int hits, final int users, final int day) {
        final long firstUser = nextUser;
        nextUser += users;
        for (int i = 0; i < hits; i++) {
            final long time = T0 + day * DAY + i * 60_000L;
            views.addLesson("2|" + lesson, LessonStats.first(time, Role.STUDENT, cohort, firstUser + i % users));
            views.addCohortLesson("2|" + cohort + "|" + lesson, 1);
        }
    }

    private Answers givenThreeCohortsOfOneProgram() {
        cohort(1, "Apex", "2019-01-07", "2019-05-01");
        cohort(2, "Bash", "2019-01-07", "2019-05-01");
        cohort(3, "Curie", "2019-01-07", "2019-05-01");
        for (final int c : new int[] {1, 2, 3}) {
            read(c, "java-ii/arrays", 400, 10, 0);
            read(c, "java-ii/loops", 300, 10, 0);
            read(c, "java-ii/maps", 100, 10, 0);
            read(c, "cohorts/" + c + "/capstones", 300, 10, 0);
        }
        read(2, "java-ii/maps", 200, 10, 1);
        read(1, "java-ii/loops", 60, 10, 1);
        read(1, "java-ii", 30, 5, 0);
        read(1, "1-java-iii/arrays", 1, 1, 2);
        read(1, "java-ii/arrays%20", 1, 1, 2);
        return new Answers(views);
    }

    @Test
    void shouldRankTheMostSignificantOveruseFirstAndListCohortPagesApart() {
        // given three cohorts alike but for Bash reading maps three times as often, Apex loops a fifth more, own capstone pages
        final Answers answers = givenThreeCohortsOfOneProgram();

        // when
        final Answers.Overuse overuse = answers.overuse(OveruseCriteria.DEFAULT, 10);

        // then Bash's maps is the one finding; Apex's fifth more is no over-use; the capstones are apart
        assertThat(overuse.overused()).extracting(Answers.OveruseRow::cohortId, Answers.OveruseRow::lesson)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "java-ii/maps"));
        final Answers.OveruseRow maps = overuse.overused().get(0);
        assertThat(maps.hits()).isEqualTo(300);
        assertThat(maps.othersHits()).isEqualTo(200);
        assertThat(maps.othersCohortHits()).isEqualTo(2 * 1100 + 90 + 2);
        assertThat(maps.ratio()).isGreaterThan(2.5);
        assertThat(overuse.cohortPages()).extracting(Answers.CohortPageRow::lesson, Answers.CohortPageRow::reason).contains(
                org.assertj.core.groups.Tuple.tuple("cohorts/1/capstones", "a cohort's own page"),
                org.assertj.core.groups.Tuple.tuple("cohorts/2/capstones", "a cohort's own page"),
                org.assertj.core.groups.Tuple.tuple("java-ii", "no other cohort of the program read it"));
        assertThat(overuse.cohortPagesTotal()).isEqualTo(6);
    }

    @Test
    void shouldTellLessonsFromLandingPagesAndBrokenLinks() {
        // given
        final Answers answers = givenThreeCohortsOfOneProgram();

        // then the module's index is a landing page, the mistyped paths are broken links pointing at their lesson
        assertThat(answers.topLessons(2, 10)).extracting(Answers.LessonRow::lesson)
                .containsExactly("java-ii/arrays", "java-ii/loops", "java-ii/maps");
        assertThat(answers.landingPages(2, 10)).extracting(Answers.LessonRow::lesson).containsExactly("java-ii");
        final Answers.BrokenLinks broken = answers.brokenLinks(10);
        assertThat(broken.total()).isEqualTo(2);
        assertThat(broken.links()).extracting(Answers.BrokenLink::path, Answers.BrokenLink::nearestLesson)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("1-java-iii/arrays", "java-ii/arrays"),
                        org.assertj.core.groups.Tuple.tuple("java-ii/arrays%20", "java-ii/arrays"));
        assertThat(answers.leastLessons(2, 10, Duration.ZERO)).extracting(Answers.LessonRow::lesson)
                .containsExactly("java-ii/maps", "java-ii/loops", "java-ii/arrays");
    }

    @Test
    void shouldNotCompareAPageWithCohortsThatWereNotActiveWhileItWasRead() {
        // given an old cohort that ended before a lesson existed and a new one reading it
        cohort(1, "Old", "2018-01-01", "2018-06-01");
        cohort(2, "New", "2019-01-07", "2019-05-01");
        read(1, "java-ii/arrays", 200, 5, -300);
        read(2, "java-ii/arrays", 200, 5, 0);
        read(2, "java-ii/streams", 100, 5, 0);

        // when
        final Answers.Overuse overuse = new Answers(views).overuse(OveruseCriteria.DEFAULT, 10);

        // then
        assertThat(overuse.overused()).isEmpty();
        assertThat(overuse.cohortPages()).extracting(Answers.CohortPageRow::lesson, Answers.CohortPageRow::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("java-ii/streams", "no other cohort of the program was active while it was read"));
        assertThat(List.of(overuse.cohortsNotCompared().size())).containsExactly(0);
    }
}
