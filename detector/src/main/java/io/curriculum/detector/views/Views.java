package io.curriculum.detector.views;

import io.curriculum.detector.model.Cohort;
import java.util.HashMap;
import java.util.Map;

/**
 * The analysts' views gathered from every partition and instance, merged: lesson stats by {@code <programId>|<lesson>},
 * cohort × lesson hits by {@code <programId>|<cohortId>|<lesson>}, users by id, and the cohort table. What
 * {@link Answers} answers the questions from. Not thread-safe; build one per query.
 */
public final class Views {

    final Map<String, LessonStats> lessons = new HashMap<>();
    final Map<String, Long> cohortLessons = new HashMap<>();
    final Map<Long, UserActivity> users = new HashMap<>();
    final Map<Integer, Cohort> cohorts = new HashMap<>();

    public void addLesson(final String key, final LessonStats stats) {
        lessons.merge(key, stats, LessonStats::merge);
    }

    public void addCohortLesson(final String key, final long hits) {
        cohortLessons.merge(key, hits, Long::sum);
    }

    /** A user lives in one partition; should a rebalance show it twice, the copy with more accesses wins. */
    public void addUser(final long id, final UserActivity user) {
        users.merge(id, user, (a, b) -> a.accesses() >= b.accesses() ? a : b);
    }

    public void addCohort(final Cohort cohort) {
        cohorts.put(cohort.id(), cohort);
    }

    public void forEachLesson(final java.util.function.BiConsumer<String, LessonStats> action) {
        lessons.forEach(action);
    }

    public int lessonCount() {
        return lessons.size();
    }

    public int userCount() {
        return users.size();
    }

    public int cohortLessonCount() {
        return cohortLessons.size();
    }
}
