package io.curriculum.tools.generate;

import io.curriculum.detector.detect.Lessons;
import io.curriculum.tools.history.CohortRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A cohort made to over-read one lesson, the answer the analysts' question 2 must give. The lesson is one of the
 * least read lessons that only the cohort's program has; the students and alumni of the program's other cohorts pass
 * it over nine times in ten, and the cohort's students read it two to five extra times on each of its class weekdays
 * in the span, one page view at a time in class hours. The cohort's share of its hits on the lesson is then many times
 * the other cohorts' mean share, which is how the over-use answer judges "significantly more". The extra hits of a
 * day stay below the band's minimum mean, so the lesson's band never sees a step it could call a spike or a drop.
 */
final class LessonOveruse {

    /** How often a reader of another cohort of the program passes the lesson over. */
    private static final double OTHERS_SKIP = 0.9;
    private static final int MIN_CLASS_DAYS = 10;
    /** The lesson is drawn from this many of the program's least read own lessons. */
    private static final int RAREST = 5;
    private static final int HOUR = 3600;

    private final GeneratorSettings settings;
    private final CohortRow cohort;
    private final int lesson;
    private final String path;
    private Instant from;
    private Instant to;
    private long rows;

    private LessonOveruse(final GeneratorSettings settings, final CohortRow cohort, final int lesson, final String path) {
        this.settings = settings;
        this.cohort = cohort;
        this.lesson = lesson;
        this.path = path;
    }

    /**
     * Picks a cohort with at least ten class weekdays in the span whose program has another such cohort, and the lesson;
     * null when no cohort qualifies.
     */
    static LessonOveruse plan(final GeneratorSettings settings, final Curriculum curriculum, final Population population,
                              final SplittableRandom random) {
        final Map<Integer, CohortRow> cohorts = new LinkedHashMap<>();
        for (final User user : population.users()) {
            if (user.kind() == User.Kind.STUDENT && user.programId() > 0 && user.programId() < Curriculum.PROGRAMS
                    && classDays(settings, user.cohort()) >= MIN_CLASS_DAYS) {
                cohorts.putIfAbsent(user.cohortId(), user.cohort());
            }
        }
        final List<CohortRow> candidates = new ArrayList<>();
        for (final CohortRow c : cohorts.values()) {
            if (cohorts.values().stream().anyMatch(other -> other.id() != c.id() && other.programId() == c.programId())) {
                candidates.add(c);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        final CohortRow chosen = candidates.get(random.nextInt(candidates.size()));
        final List<Integer> rarest = curriculum.ownLessonsByRarity(chosen.programId());
        if (rarest.isEmpty()) {
            return null;
        }
        final int lesson = rarest.get(random.nextInt(Math.min(RAREST, rarest.size())));
        return new LessonOveruse(settings, chosen, lesson, curriculum.lesson(lesson));
    }

    int lesson() {
        return lesson;
    }

    /** Whether a reader about to open {@code lessonIndex} passes it over: a student or alumnus of another cohort of the program. */
    boolean skips(final User user, final int lessonIndex, final SplittableRandom random) {
        return lessonIndex == lesson && isOtherCohort(user) && Draw.chance(random, OTHERS_SKIP);
    }

    private boolean isOtherCohort(final User user) {
        return user.kind() == User.Kind.STUDENT && user.programId() == cohort.programId() && user.cohortId() != cohort.id();
    }

    /** How many extra reads the cohort makes on a day: 2–5 on its class weekdays, else none. */
    int readsOn(final LocalDate date, final SplittableRandom random) {
        if (!Population.isWeekday(date) || date.isBefore(cohort.startDate()) || date.isAfter(cohort.endDate())) {
            return 0;
        }
        return Draw.between(random, 2, 5);
    }

    /** Adds the day's extra reads, each by one of the cohort's {@code students} in class hours. */
    void read(final LocalDate date, final int reads, final List<User> students, final DayRows rows, final SplittableRandom random,
              final Addresses addresses) {
        if (students.isEmpty()) {
            return;
        }
        for (int i = 0; i < reads; i++) {
            final User user = students.get(random.nextInt(students.size()));
            final int second = Draw.between(random, 9 * HOUR, 17 * HOUR);
            if (rows.add(second, path, user, addresses.of(user, second, random), lesson)) {
                final Instant at = date.atTime(LocalTime.ofSecondOfDay(second)).atZone(settings.zone()).toInstant();
                from = from == null || at.isBefore(from) ? at : from;
                to = to == null || at.isAfter(to) ? at : to;
                this.rows++;
            }
        }
    }

    CohortRow cohort() {
        return cohort;
    }

    /** The label, once every day is written; null when no read was injected. */
    Label label() {
        if (rows == 0) {
            return null;
        }
        return new Label(null, AnomalyKind.LESSON_OVERUSE, Label.NONE, null, null, null, null, cohort.id(), cohort.programId(),
                Lessons.normalize(path), from, to, rows);
    }

    long rows() {
        return rows;
    }

    /** The address a reader uses at a second of the day. */
    @FunctionalInterface
    interface Addresses {
        String of(User user, int second, SplittableRandom random);
    }

    private static long classDays(final GeneratorSettings settings, final CohortRow cohort) {
        final LocalDate from = cohort.startDate().isAfter(settings.start()) ? cohort.startDate() : settings.start();
        final LocalDate to = cohort.endDate().isBefore(settings.end()) ? cohort.endDate() : settings.end();
        return from.isAfter(to) ? 0 : Population.weekdays(from, to);
    }
}
