package io.curriculum.app.api;

import io.curriculum.detector.detect.Lessons;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.Role;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The views' answers worked out directly from a history file and the cohorts table, to check the API against. */
public final class ExpectedViews {

    /** Lesson hits by {@code <programId>|<lesson>}. */
    public final Map<String, Long> lessonHits = new HashMap<>();
    /** The campus day of every access of a user while a student, by user. */
    public final Map<Long, List<java.time.LocalDate>> studentDays = new HashMap<>();
    /** Users seen as students (with a known cohort). */
    public final Set<Long> students = new TreeSet<>();
    /** Student hits by {@code <cohortId>|<lesson>}. */
    public final Map<String, Long> cohortLessonHits = new HashMap<>();

    public ExpectedViews(final Path history, final List<CohortRow> cohortRows) {
        final Map<Integer, Cohort> cohorts = new HashMap<>();
        cohortRows.forEach(row -> cohorts.put(row.id(), row.toCohort()));
        for (final HistoryRow row : HistoryReader.readAll(history, bad -> { })) {
            final Cohort cohort = row.cohortId() == null ? null : cohorts.get(row.cohortId());
            final Role role = Role.of(cohort, row.localTime().toLocalDate());
            final String lesson = Lessons.normalize(row.path());
            if (lesson != null) {
                lessonHits.merge((cohort == null ? 0 : cohort.programId()) + "|" + lesson, 1L, Long::sum);
            }
            if (role == Role.STUDENT && lesson != null) {
                cohortLessonHits.merge(row.cohortId() + "|" + lesson, 1L, Long::sum);
            }
            if (role == Role.STUDENT && row.userId() != null) {
                students.add(row.userId());
                studentDays.computeIfAbsent(row.userId(), u -> new java.util.ArrayList<>()).add(row.localTime().toLocalDate());
            }
        }
    }

    /** A cohort's student hits on a lesson. */
    public long cohortHits(final int cohortId, final String lesson) {
        return cohortLessonHits.getOrDefault(cohortId + "|" + lesson, 0L);
    }

    /** A program's lesson hits, by lesson. */
    public Map<String, Long> lessons(final int programId) {
        final Map<String, Long> own = new HashMap<>();
        lessonHits.forEach((key, hits) -> {
            if (key.startsWith(programId + "|")) {
                own.put(key.substring(key.indexOf('|') + 1), hits);
            }
        });
        return own;
    }
}
