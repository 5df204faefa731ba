package io.curriculum.detector.config;

import java.util.Locale;

/**
 * Every {@code detector.*} configuration key with its default and meaning: the single source that
 * {@link DetectorConfig} parses and the README documents (a test keeps the two in step).
 */
public enum Setting {
    TOPIC_PREFIX("detector.topic.prefix", "curriculum", "Debezium topic.prefix; input topics default to <prefix>.<database>.<table>"),
    DATABASE("detector.database", "curriculum_logs", "source database name, the middle part of Debezium's topic names"),
    TOPIC_LOGS("detector.topic.logs", "", "input topic of logs change events (default <prefix>.<database>.logs)"),
    TOPIC_COHORTS("detector.topic.cohorts", "", "input topic of cohorts change events (default <prefix>.<database>.cohorts)"),
    TOPIC_SUSPICIOUS_IP("detector.topic.suspicious-ip", "curriculum.alerts.suspicious-ip", "output: machine-speed alerts (burst, crawl)"),
    TOPIC_LESSON_BAND("detector.topic.lesson-band", "curriculum.alerts.lesson-band", "output: lesson-band breaches (spikes, drop episodes) per lesson and program"),
    TOPIC_INACTIVE_STUDENT("detector.topic.inactive-student", "curriculum.alerts.inactive-student", "output: inactive-student alerts (a student with too few accesses in their first class days)"),
    TOPIC_DEAD_LETTER("detector.topic.dead-letter", "curriculum.dead-letter", "output: records the detector cannot use, original bytes plus reason headers"),
    TOPIC_SIMULATED("detector.topic.simulated", "curriculum.alerts.simulated", "output: alerts of rules published with simulate: true (machine-speed and lesson-band alike), never on the live alert topics"),
    TOPIC_RULES("detector.topic.rules", "curriculum.detector.rules", "compacted input: rule records (JSON, keyed by rule id) that tune the running detector without a restart; see Tuning rules"),
    TOPIC_RULES_IN_FORCE("detector.topic.rules-in-force", "", "compacted topic of the rule records the detector accepted, read back by every instance as a global store (default <application.id>-rules-in-force)"),
    TOPIC_COHORT_TABLE("detector.topic.cohort-table", "", "compacted topic of decoded cohorts behind the cohort GlobalKTable (default <application.id>-cohort-table)"),
    INPUT_KEYED_BY_IP("detector.input.keyed-by-ip", "false", "true when the logs topic is already partitioned by ip (Debezium message.key.columns=...logs:ip); skips one repartition"),
    REPARTITION("detector.repartition", "auto", "re-key through repartition topics: always (needed when the logs topic has several partitions), never (the whole topology in one task: only for a one-partition logs topic; refused for more), auto (never when the broker reports one partition at start-up, always otherwise)"),
    CAMPUS_ZONE("detector.campus-zone", "America/Chicago", "time zone of the logs' date and time columns"),
    TIME_PRECISION_MODE("detector.time-precision-mode", "adaptive_time_microseconds", "Debezium time.precision.mode of schemaless input (adaptive_time_microseconds, connect, isostring); embedded schemas override it"),
    GRACE("detector.grace", "10m", "how long windows and episodes wait, in event time, for rows that arrive out of order before they are judged; also how far ahead of the stream time a row may be before rows of other addresses must agree with it (clock skew, at least 1m)"),
    FUTURE_TOLERANCE("detector.future-tolerance", "1d", "rows dated further ahead of the wall clock are dead-lettered (invalid-date): one bad clock must not make every later row look late"),
    MAX_PATH_LENGTH("detector.max-path-length", "2048", "longer paths are dead-lettered"),
    ALLOWLIST("detector.allowlist", "", "comma-separated IPs or CIDRs never flagged for machine speed (e.g. a monitoring probe)"),
    BURST_WINDOW("detector.burst.window", "20s", "sliding window of the burst rule's shortest scale"),
    BURST_MIN_PAGES("detector.burst.min-distinct-pages", "30", "distinct lesson pages within the burst window that no person opens"),
    BURST_PAGES_PER_USER("detector.burst.min-pages-per-user", "10", "and at least this many distinct pages per user in the window, so a crowded lab behind one NAT address (many users, a page or two each) is not a machine"),
    BURST_SCALES("detector.burst.scales", "2m:40:20,10m:100:40", "further burst scales judged alongside the first, window:min-distinct-pages:min-pages-per-user each, comma-separated (empty: none)"),
    BURST_GAP("detector.burst.episode-gap", "5m", "a burst episode ends after this long below the threshold; a new burst after it is a new alert"),
    CRAWL_WINDOW("detector.crawl.window", "1h", "sliding window of the sustained-crawl rule's shortest scale"),
    CRAWL_MIN_PAGES("detector.crawl.min-distinct-pages", "200", "distinct lesson pages within the crawl window"),
    CRAWL_SLOTS("detector.crawl.slots", "12", "the crawl window is cut into this many slots to measure a steady pace"),
    CRAWL_MIN_ACTIVE_SLOTS("detector.crawl.min-active-slots", "9", "slots with requests needed for a steady pace"),
    CRAWL_SCALES("detector.crawl.scales", "3h:240:12:9", "further crawl scales judged alongside the first, window:min-distinct-pages:slots:min-active-slots each, comma-separated (empty: none); the longest window is how long every client's and user's state is kept"),
    CRAWL_NEW_PAGE_SHARE("detector.crawl.min-new-page-share", "0.5", "and at least this share of the window's lesson requests are distinct pages (0 to 1): a crawler walks on, a reader comes back to what was read"),
    BAND_WINDOW("detector.band.window", "1d", "window of the per-lesson access counts, aligned to campus midnight"),
    BAND_MODEL("detector.band.model", "sqrt", "count model of the lesson bands: sqrt (counts on the square-root scale, over-dispersion from the history, a lesson judged in proportion to how much its program read that window) or bollinger (the seed analysis's mean ± k·max(σ, √mean) on raw counts, absolute)"),
    BAND_K("detector.band.k", "4.0", "band half-width in spreads: on the square-root scale for sqrt, in max(σ, √mean) for bollinger"),
    BAND_MIN_EFFECT("detector.band.min-effect", "10", "a breach must also lie this many hits from the expected count, so small lessons stay quiet"),
    BAND_HOLIDAYS("detector.band.holidays", "us-federal,winter-break", "built-in non-class days the bands neither judge nor learn from, comma-separated: us-federal (the federal holidays as observed), winter-break (Dec 24 to Jan 1), or none"),
    BAND_CALENDAR_FILE("detector.band.calendar-file", "", "a file of further non-class days, one day (2024-03-11) or range (2024-03-11..2024-03-15) per line, # comments"),
    BAND_HISTORY("detector.band.history", "8", "preceding windows of the same weekly phase that form the band"),
    BAND_MIN_HISTORY("detector.band.min-history", "4", "a series with fewer preceding windows is not judged"),
    BAND_MIN_MEAN("detector.band.min-mean", "10", "a series whose band mean is lower is not judged (too little traffic)"),
    BAND_WEEKLY("detector.band.weekly", "true", "compare a window with the same weekly phase (Mondays with Mondays) when the window divides a week"),
    INACTIVE_CLASS_DAYS("detector.inactive.class-days", "10", "the inactive-student rule judges a student's first this-many class days (weekdays) of enrolment, counted from the cohort's start or, for a cohort already running, from the first access the detector saw"),
    INACTIVE_MIN_ACCESSES("detector.inactive.min-accesses", "10", "a student with fewer accesses (any page) in those class days is inactive: one alert per enrolment"),
    VIEWS_NEW_LESSON_AGE("detector.views.new-lesson-age", "14d", "least-accessed lessons leave out lessons first read less than this before the newest access (too new to judge)"),
    STATE_CACHE_MAX_ENTRIES("detector.state.cache-max-entries", "0", "decoded entries each RocksDB-backed store keeps in heap, least recently used first out (changes evicted before the commit are written early, in the same transaction); 0 keeps every entry: fastest, but the state must fit in the heap");

    private final String key;
    private final String defaultValue;
    private final String doc;

    Setting(final String key, final String defaultValue, final String doc) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The environment variable that overrides this key: {@code detector.burst.window} is {@code DETECTOR_BURST_WINDOW}. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
