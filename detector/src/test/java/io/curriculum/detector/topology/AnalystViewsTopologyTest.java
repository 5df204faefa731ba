package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.Role;
import io.curriculum.detector.views.LessonStats;
import io.curriculum.detector.views.UserActivity;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The analysts' views (lessons, cohort × lesson, users) and the inactive-student alert, in event time. */
class AnalystViewsTopologyTest {

    private long nextId = 1;

    private static DetectorDriver driver() {
        final DetectorDriver d = new DetectorDriver(Map.of("detector.inactive.class-days", "10", "detector.inactive.min-accesses", "5"));
        d.cohort(29, "Zion", "2019-01-07", "2019-05-31", 2);
        d.cohort(30, "Apex", "2019-01-07", "2019-05-31", 2);
        d.cohort(20, "Voyageurs", "2018-01-08", "2018-05-31", 2);
        d.cohort(28, "Staff", "2014-02-04", "2030-02-04", 2);
        return d;
    }

    private void access(final DetectorDriver d, final String at, final String path, final long user, final int cohort) {
        d.access(nextId++, at, path, user, cohort, "10.0." + (user % 200) + "." + (user / 200));
    }

    private static LessonStats lesson(final DetectorDriver d, final String key) {
        final byte[] stored = d.view(ViewStores.LESSONS, key);
        return stored == null ? null : LessonStats.decode(stored);
    }

    private static UserActivity user(final DetectorDriver d, final long id) {
        return UserActivity.decode(d.view(ViewStores.USERS, String.valueOf(id)));
    }

    @Test
    void shouldCountLessonHitsByRoleWithTheDistinctCohortsOfItsStudents() {
        try (DetectorDriver d = driver()) {
            // given students of two cohorts, an alumnus and staff reading one lesson in different spellings, and an image
            access(d, "2019-01-08 09:00:00", "/java-ii/arrays", 1, 29);
            access(d, "2019-01-08 09:05:00", "java-ii/arrays.html", 2, 29);
            access(d, "2019-01-08 09:10:00", "java-ii/arrays/", 3, 30);
            access(d, "2019-01-08 10:00:00", "java-ii/arrays", 4, 20);
            access(d, "2019-01-08 11:00:00", "java-ii/arrays", 5, 28);
            access(d, "2019-01-08 11:00:01", "java-ii/images/arrays.png", 5, 28);

            // then
            final LessonStats stats = lesson(d, "2|java-ii/arrays");
            assertThat(stats.hits()).isEqualTo(5);
            assertThat(stats.studentHits()).isEqualTo(3);
            assertThat(stats.alumniHits()).isEqualTo(1);
            assertThat(stats.staffHits()).isEqualTo(1);
            assertThat(stats.studentCohorts()).containsExactly(29, 30);
            assertThat(stats.firstSeen()).isEqualTo(DetectorDriver.at("2019-01-08 09:00:00").toEpochMilli());
            assertThat(stats.lastSeen()).isEqualTo(DetectorDriver.at("2019-01-08 11:00:00").toEpochMilli());
            assertThat(lesson(d, "2|java-ii/images/arrays.png")).isNull();
        }
    }

    @Test
    void shouldCountEachCohortsStudentHitsPerLessonButNotItsAlumni() {
        try (DetectorDriver d = driver()) {
            access(d, "2019-01-08 09:00:00", "java-ii/arrays", 1, 29);
            access(d, "2019-01-08 09:01:00", "java-ii/arrays", 2, 29);
            access(d, "2019-01-08 09:02:00", "java-ii/arrays", 3, 30);
            access(d, "2019-01-08 09:03:00", "java-ii/arrays", 4, 20);

            assertThat(ByteBuffer.wrap(d.view(ViewStores.COHORT_LESSONS, "2|29|java-ii/arrays")).getLong()).isEqualTo(2);
            assertThat(ByteBuffer.wrap(d.view(ViewStores.COHORT_LESSONS, "2|30|java-ii/arrays")).getLong()).isEqualTo(1);
            assertThat(d.view(ViewStores.COHORT_LESSONS, "2|20|java-ii/arrays")).isNull();
        }
    }

    @Test
    void shouldKeepAStudentsActivityWhileEnrolled() {
        try (DetectorDriver d = driver()) {
            // given a student reading on two days, the home page included
            access(d, "2019-01-08 09:00:00", "java-ii/arrays", 7, 29);
            access(d, "2019-01-08 09:30:00", "/", 7, 29);
            access(d, "2019-01-10 14:00:00", "spring/intro", 7, 29);

            // then
            final UserActivity user = user(d, 7);
            assertThat(user.studentCohort()).isEqualTo(29);
            assertThat(user.studentProgram()).isEqualTo(2);
            assertThat(user.studentAccesses()).isEqualTo(3);
            assertThat(user.activeDays()).isEqualTo(2);
            assertThat(user.studentFirst()).isEqualTo(DetectorDriver.at("2019-01-08 09:00:00").toEpochMilli());
            assertThat(user.studentLast()).isEqualTo(DetectorDriver.at("2019-01-10 14:00:00").toEpochMilli());
            assertThat(user.sections()).isEqualTo(Map.of("java-ii", 1, "spring", 1));
            assertThat(user.judgement()).isEqualTo(UserActivity.Judgement.PENDING);
            // observation began on the 8th, within the cohort: ten class days from then, the 21st the last
            assertThat(user.windowStart()).isEqualTo(LocalDate.parse("2019-01-08"));
            assertThat(user.windowEnd()).isEqualTo(LocalDate.parse("2019-01-22"));
        }
    }

    @Test
    void shouldRememberAUserSeenInACohortAndLaterAsStaff() {
        try (DetectorDriver d = driver()) {
            access(d, "2019-01-08 09:00:00", "java-ii/arrays", 9, 20);
            access(d, "2019-02-08 09:00:00", "java-ii/arrays", 9, 28);

            assertThat(user(d, 9).sightings()).extracting(UserActivity.Sighting::cohortId, UserActivity.Sighting::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(20, Role.ALUMNUS), org.assertj.core.groups.Tuple.tuple(28, Role.STAFF));
        }
    }

    @Test
    void shouldAlertOnAStudentWithTooFewAccessesInTheirFirstClassDaysOnceTheWindowHasClosed() {
        try (DetectorDriver d = driver()) {
            // given an active student (one access every class day) and an inactive one (three), in the first two weeks
            LocalDate day = LocalDate.parse("2019-01-07");
            for (int i = 0; i < 12; i++, day = day.plusDays(1)) {
                access(d, day + " 09:00:00", "java-ii/page-" + i, 1, 29);
                if (i == 1 || i == 8) {
                    access(d, day + " 10:00:00", "java-ii/arrays", 2, 29);
                } else if (i == 2) {
                    access(d, day + " 10:00:00", "/", 2, 29);
                }
            }
            access(d, "2019-01-18 23:00:00", "java-ii/arrays", 3, 29);
            assertThat(d.inactiveAlerts()).as("the window is still open").isEmpty();

            // when event time passes the window's end (the day after the tenth class day) plus the grace
            access(d, "2019-01-19 00:05:00", "java-ii/arrays", 1, 29);
            assertThat(d.inactiveAlerts()).as("within the grace").isEmpty();
            access(d, "2019-01-19 00:11:00", "java-ii/arrays", 1, 29);

            // then the inactive student, and the one who read once at the end, are alerted, once
            final List<InactiveStudentAlert> alerts = d.inactiveAlerts();
            assertThat(alerts).extracting(InactiveStudentAlert::userId).containsExactlyInAnyOrder(2L, 3L);
            final InactiveStudentAlert alert = alerts.stream().filter(a -> a.userId() == 2).findFirst().orElseThrow();
            assertThat(alert.alertId()).isEqualTo("inactive-student|2|29");
            assertThat(alert.cohort()).isEqualTo("Zion");
            assertThat(alert.accesses()).isEqualTo(3);
            assertThat(alert.windowStart()).isEqualTo(LocalDate.parse("2019-01-07"));
            assertThat(alert.windowEnd()).isEqualTo(LocalDate.parse("2019-01-18"));
            assertThat(alert.detectedAt()).isEqualTo(DetectorDriver.at("2019-01-19 00:11:00"));
            access(d, "2019-01-22 09:00:00", "java-ii/arrays", 1, 29);
            assertThat(d.inactiveAlerts()).isEmpty();
            assertThat(user(d, 1).judgement()).isEqualTo(UserActivity.Judgement.ACTIVE);
        }
    }

    @Test
    void shouldCountALateRowOfAJudgedWindowInTheViewsAndAsALateCorrectionWithoutAlertingAgain() {
        try (DetectorDriver d = driver()) {
            // given two students with one access each in their first ten class days, judged and alerted once the window closed
            access(d, "2019-01-07 09:00:00", "java-ii/page-0", 1, 29);
            access(d, "2019-01-08 10:00:00", "java-ii/arrays", 2, 29);
            access(d, "2019-01-19 00:11:00", "java-ii/arrays", 1, 29);
            assertThat(d.inactiveAlerts()).extracting(InactiveStudentAlert::userId).containsExactlyInAnyOrder(1L, 2L);

            // when a row of their window arrives a day later
            access(d, "2019-01-09 10:00:00", "java-ii/loops", 2, 29);

            // then it counts in their activity, as a late correction, and no second alert follows
            assertThat(user(d, 2).accesses()).isEqualTo(2);
            assertThat(user(d, 2).judgement()).isEqualTo(UserActivity.Judgement.INACTIVE);
            assertThat(DeadLetterAndDuplicateTopologyTest.metric(d, "inactive-window-late-rows-total")).isEqualTo(1.0);
            assertThat(d.inactiveAlerts()).isEmpty();
            assertThat(d.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldAlertAtOnceOnAStudentFirstSeenAfterTheirWindow() {
        try (DetectorDriver d = driver()) {
            for (int i = 0; i < 5; i++) {
                access(d, "2019-01-07 09:00:0" + i, "java-ii/page-" + i, 1, 29);
            }
            access(d, "2019-01-23 09:00:00", "java-ii/arrays", 4, 30);

            assertThat(d.inactiveAlerts()).singleElement().satisfies(alert -> {
                assertThat(alert.userId()).isEqualTo(4);
                assertThat(alert.accesses()).isZero();
                assertThat(alert.detectedAt()).isEqualTo(DetectorDriver.at("2019-01-23 09:00:00"));
            });
        }
    }

    @Test
    void shouldStartTheWindowOfACohortAlreadyRunningAtTheFirstObservedDay() {
        try (DetectorDriver d = driver()) {
            access(d, "2019-03-04 09:00:00", "java-ii/arrays", 1, 29);

            assertThat(user(d, 1).windowStart()).isEqualTo(LocalDate.parse("2019-03-04"));
            assertThat(user(d, 1).windowEnd()).isEqualTo(LocalDate.parse("2019-03-16"));
        }
    }
}
