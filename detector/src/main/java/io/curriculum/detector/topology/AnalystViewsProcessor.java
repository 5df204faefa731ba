package io.curriculum.detector.topology;

import io.curriculum.detector.config.ViewSettings;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.CohortLessonKey;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.LessonKey;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.model.Role;
import io.curriculum.detector.model.ViewHit;
import io.curriculum.detector.streams.internals.MirroredStore;
import io.curriculum.detector.views.ClassDays;
import io.curriculum.detector.views.LessonStats;
import io.curriculum.detector.views.UserActivity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Keeps the analysts' views ({@link ViewStores}) from every access, keyed by user, and raises the inactive-student
 * alert. A student's rule window is their first {@code inactiveClassDays} class days of enrolment, from the cohort's
 * start or, for a cohort already running when the detector began observing, from the first access it saw. The window is
 * judged once its end (campus midnight) plus the grace has passed in event time: by a sweep that the first access of
 * each campus day runs over the users, or at once for a student first seen after their window ended (no access in
 * it). Everything is judged by event time and triggered by the input, so a replay yields the same alerts. A row that
 * arrives late counts in the views however late it is; one that falls in a window already judged still counts in the
 * student's activity, the judgement stands, and it is counted as a late correction ({@code inactive-window-late-rows}).
 */
final class AnalystViewsProcessor implements Processor<String, ViewHit, String, InactiveStudentAlert> {

    private static final String OBSERVED_SINCE = "observed-since";
    private static final String WATERMARK = "watermark";

    private final ViewSettings settings;
    private final ZoneId zone;
    private final long grace;
    private final String cohortStoreName;
    private ProcessorContext<String, InactiveStudentAlert> context;
    private MirroredStore<String, LessonStats> lessons;
    private MirroredStore<String, Long> cohortLessons;
    private MirroredStore<String, UserActivity> users;
    private KeyValueStore<String, Long> clock;
    private TimestampedKeyValueStore<String, Cohort> cohorts;
    private long observedSince;
    private long watermark;
    private long nextSweep;
    private Sensor lateForJudgedWindows;

    AnalystViewsProcessor(final ViewSettings settings, final ZoneId zone, final Duration grace, final String cohortStoreName) {
        this.settings = settings;
        this.zone = zone;
        this.grace = grace.toMillis();
        this.cohortStoreName = cohortStoreName;
    }

    @Override
    public void init(final ProcessorContext<String, InactiveStudentAlert> context) {
        this.context = context;
        lessons = context.getStateStore(ViewStores.LESSONS);
        cohortLessons = context.getStateStore(ViewStores.COHORT_LESSONS);
        users = context.getStateStore(ViewStores.USERS);
        clock = context.getStateStore(ViewStores.CLOCK);
        cohorts = context.getStateStore(cohortStoreName);
        final Long since = clock.get(OBSERVED_SINCE);
        final Long newest = clock.get(WATERMARK);
        observedSince = since == null ? Long.MIN_VALUE : since;
        watermark = newest == null ? Long.MIN_VALUE : newest;
        // the stored watermark is the one of the last sweep: the next sweep is due where it was before a restart, so a
        // restarted task sweeps (and stores its clock) at the same records as one that never stopped
        nextSweep = newest == null ? Long.MIN_VALUE : startOfDay(day(newest - grace).plusDays(1));
        lateForJudgedWindows = DetectorMetrics.counter(context.metrics(), "inactive-window-late-rows",
                "page views that arrived after their inactive-student window was judged: counted in the views, the judgement stands");
    }

    @Override
    public void process(final Record<String, ViewHit> record) {
        final ViewHit hit = record.value();
        watermark = Math.max(watermark, hit.time());
        if (observedSince == Long.MIN_VALUE) {
            observedSince = hit.time();
            clock.put(OBSERVED_SINCE, observedSince);
        }
        if (hit.lesson() != null) {
            countLesson(hit);
        }
        if (hit.userId() != null) {
            countUser(hit);
        }
        if (watermark - grace >= nextSweep) {
            sweep();
            nextSweep = startOfDay(day(watermark - grace).plusDays(1));
        }
    }

    private void countLesson(final ViewHit hit) {
        final String key = new LessonKey(hit.programId(), hit.lesson()).text();
        final LessonStats stored = lessons.value(key);
        lessons.put(key, stored == null
                ? LessonStats.first(hit.time(), hit.role(), hit.cohortId(), hit.userId())
                : stored.plus(hit.time(), hit.role(), hit.cohortId(), hit.userId()));
        if (hit.role() == Role.STUDENT && hit.cohortId() != null) {
            final String cohortKey = new CohortLessonKey(hit.programId(), hit.cohortId(), hit.lesson()).text();
            final Long count = cohortLessons.value(cohortKey);
            cohortLessons.put(cohortKey, count == null ? 1L : count + 1);
        }
    }

    private void countUser(final ViewHit hit) {
        final String key = String.valueOf(hit.userId());
        final UserActivity stored = users.value(key);
        final UserActivity user = stored == null ? new UserActivity() : stored;
        user.access(hit.time(), hit.cohortId(), hit.programId(), hit.role(), section(hit.lesson()));
        if (hit.role() == Role.STUDENT && hit.cohortId() != null) {
            if (user.studentCohort() != hit.cohortId()) {
                enrol(user, hit);
            }
            if (user.isJudged() && user.inWindow(hit.day())) {
                lateForJudgedWindows.record();
            }
            user.studentAccess(hit.time(), hit.day());
            if (user.judgement() == UserActivity.Judgement.PENDING && windowClosed(user)) {
                judge(hit.userId(), user);
            }
        }
        users.put(key, user);
    }

    private void enrol(final UserActivity user, final ViewHit hit) {
        final Cohort cohort = cohort(hit.cohortId());
        if (cohort == null) {
            return;
        }
        final LocalDate observed = day(observedSince);
        final LocalDate from = cohort.startDate().isAfter(observed) ? cohort.startDate() : observed;
        final LocalDate end = ClassDays.endOf(from, settings.inactiveClassDays());
        user.enrol(cohort.id(), cohort.programId(), cohort.startDate(), from, end.isAfter(cohort.endDate().plusDays(1)) ? null : end);
    }

    private boolean windowClosed(final UserActivity user) {
        return startOfDay(user.windowEnd()) + grace <= watermark;
    }

    /** Judges every pending window that has closed, in key order (as a scan of the store would), so alerts come out in the same order. */
    private void sweep() {
        final List<String> judged = new ArrayList<>();
        for (final Map.Entry<String, UserActivity> entry : users.entries().entrySet()) {
            if (entry.getValue().judgement() == UserActivity.Judgement.PENDING && windowClosed(entry.getValue())) {
                judged.add(entry.getKey());
            }
        }
        Collections.sort(judged);
        for (final String key : judged) {
            final UserActivity user = users.value(key);
            judge(Long.parseLong(key), user);
            users.put(key, user);
        }
        clock.put(WATERMARK, watermark);
    }

    private void judge(final long userId, final UserActivity user) {
        if (!user.judge(settings.inactiveMinAccesses())) {
            return;
        }
        final Cohort cohort = cohort(user.studentCohort());
        final String alertId = InactiveStudentAlert.RULE + "|" + userId + "|" + user.studentCohort();
        final InactiveStudentAlert alert = new InactiveStudentAlert(alertId, InactiveStudentAlert.RULE, userId, user.studentCohort(),
                cohort == null ? null : cohort.name(), user.studentProgram(), Program.name(user.studentProgram()),
                user.windowStart(), user.windowEnd().minusDays(1), settings.inactiveClassDays(), user.windowAccesses(),
                settings.inactiveMinAccesses(),
                user.studentAccesses() == 0 ? null : Instant.ofEpochMilli(user.studentFirst()),
                user.studentAccesses() == 0 ? null : Instant.ofEpochMilli(user.studentLast()),
                Instant.ofEpochMilli(watermark));
        context.forward(new Record<>(alertId, alert, watermark));
    }

    private Cohort cohort(final int id) {
        final ValueAndTimestamp<Cohort> cohort = cohorts.get(String.valueOf(id));
        return cohort == null ? null : cohort.value();
    }

    private LocalDate day(final long time) {
        return Instant.ofEpochMilli(time).atZone(zone).toLocalDate();
    }

    private long startOfDay(final LocalDate day) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The curriculum section of a lesson, its first segment ({@code java-ii/arrays} → {@code java-ii}); null for no lesson. */
    static String section(final String lesson) {
        if (lesson == null) {
            return null;
        }
        final int slash = lesson.indexOf('/');
        return slash < 0 ? lesson : lesson.substring(0, slash);
    }
}
