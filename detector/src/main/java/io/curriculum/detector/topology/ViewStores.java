package io.curriculum.detector.topology;

/**
 * The names of the analysts' view stores, for interactive queries. Keys are Strings, values the compact binary forms
 * of {@code io.curriculum.detector.views}:
 * <ul>
 *   <li>{@link #LESSONS}: {@code <programId>|<lesson>} → {@code LessonStats} (the reader's program; 0 when unknown);</li>
 *   <li>{@link #COHORT_LESSONS}: {@code <programId>|<cohortId>|<lesson>} → hits by the cohort's students while enrolled
 *   (8-byte big-endian long);</li>
 *   <li>{@link #USERS}: user id → {@code UserActivity}.</li>
 * </ul>
 * The views are kept by the by-user task, so one user's activity lives in one partition; the lesson views of one key
 * may be spread over several partitions (partial sums that merge exactly).
 */
public final class ViewStores {

    public static final String LESSONS = "lesson-stats-store";
    public static final String COHORT_LESSONS = "cohort-lesson-store";
    public static final String USERS = "user-activity-store";
    /** Event-time bookkeeping of the views: when observation began, the newest access. */
    public static final String CLOCK = "view-clock-store";
    public static final String[] ALL = {LESSONS, COHORT_LESSONS, USERS};

    private ViewStores() {
    }
}
