package io.curriculum.tools.generate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The anomalies the generator injects, each written as labels of this kind. Positives (the detector with
 * default settings must alert): {@link #BURST_SCRAPER}, {@link #NAT_SCRAPER}, {@link #SLOW_CRAWLER},
 * {@link #SLOW_BURST}, {@link #ROTATING_SCRAPER}, {@link #LONG_CRAWLER}, {@link #LESSON_SPIKE}, {@link #LESSON_DROP}.
 * Hard negatives (no machine-speed alert for that address or user in that interval, at any scope):
 * {@link #NAT_CLASSROOM}, {@link #FAST_HUMAN}, {@link #PAGE_WITH_ASSETS}, {@link #STAFF_REVIEW}, {@link #HEAVY_READER},
 * {@link #SHARED_HOME}; and {@link #CAMPUS_HOLIDAY}, a whole-campus quiet day of the default calendar (no band alert
 * dated on it). No alert expected, the
 * analysts' views answer them: {@link #INACTIVE_STUDENT} (also the inactive-student alert), {@link #LESSON_OVERUSE}
 * (the cohort's over-read lessons name the lesson).
 */
public enum AnomalyKind {
    BURST_SCRAPER("burst-scraper"),
    NAT_SCRAPER("nat-scraper"),
    SLOW_CRAWLER("slow-crawler"),
    SLOW_BURST("slow-burst"),
    ROTATING_SCRAPER("rotating-scraper"),
    LONG_CRAWLER("long-crawler"),
    LESSON_SPIKE("lesson-spike"),
    LESSON_DROP("lesson-drop"),
    INACTIVE_STUDENT("inactive-student"),
    LESSON_OVERUSE("lesson-overuse"),
    NAT_CLASSROOM("nat-classroom"),
    FAST_HUMAN("fast-human"),
    PAGE_WITH_ASSETS("page-with-assets"),
    STAFF_REVIEW("staff-review"),
    HEAVY_READER("heavy-reader"),
    SHARED_HOME("shared-home"),
    CAMPUS_HOLIDAY("campus-holiday");

    private final String label;

    AnomalyKind(final String label) {
        this.label = label;
    }

    /** The kind as written in the labels file ({@code burst-scraper}). */
    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static AnomalyKind of(final String label) {
        for (final AnomalyKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown anomaly kind '" + label + "'");
    }
}
