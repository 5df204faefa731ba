package io.curriculum.detector.config;

import io.curriculum.detector.detect.BandSettings;
import io.curriculum.detector.detect.BurstSettings;
import io.curriculum.detector.detect.CampusCalendar;
import io.curriculum.detector.detect.CrawlScale;
import io.curriculum.detector.detect.CrawlSettings;
import io.curriculum.detector.detect.IpAllowlist;
import io.curriculum.detector.detect.PaceScale;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The detector's whole configuration, parsed once and validated: defaults in code ({@link Setting}),
 * overridden by a properties file, overridden by environment variables. Keys starting with
 * {@code detector.} are ours; every other key is a Kafka Streams or client setting and passes through
 * untouched (security, SASL, TLS). Environment variables: {@code DETECTOR_BURST_WINDOW} sets
 * {@code detector.burst.window}, {@code DETECTOR_KAFKA_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}.
 * A wrong value fails fast with a {@link ConfigException} naming the key.
 */
public record DetectorConfig(
        TopicNames topics,
        ZoneId campusZone,
        TimePrecisionMode timePrecisionMode,
        boolean inputKeyedByIp,
        Repartition repartition,
        Duration grace,
        Duration futureTolerance,
        int maxPathLength,
        IpAllowlist allowlist,
        BurstSettings burst,
        CrawlSettings crawl,
        BandSettings band,
        ViewSettings views,
        int stateCacheMaxEntries,
        Map<String, Object> streamsProperties,
        Map<Setting, String> settings) {

    public static final String DEFAULT_APPLICATION_ID = "curriculum-detector";
    private static final String KAFKA_ENV_PREFIX = "DETECTOR_KAFKA_";

    public DetectorConfig {
        streamsProperties = Map.copyOf(streamsProperties);
        settings = Collections.unmodifiableMap(new EnumMap<>(settings));
    }

    /** The defaults alone. */
    public static DetectorConfig defaults() {
        return from(new Properties(), Map.of());
    }

    /** Reads a properties file, then applies the process environment. */
    public static DetectorConfig load(final Path propertiesFile) {
        final Properties file = new Properties();
        try (InputStream in = Files.newInputStream(propertiesFile)) {
            file.load(in);
        } catch (final NoSuchFileException e) {
            throw new ConfigException("configuration file " + propertiesFile + " does not exist");
        } catch (final IOException e) {
            throw new ConfigException("cannot read configuration file " + propertiesFile + ": " + e.getMessage());
        }
        return from(file, System.getenv());
    }

    /** Defaults, overridden by {@code properties}, overridden by {@code environment}. */
    public static DetectorConfig from(final Properties properties, final Map<String, String> environment) {
        final Map<Setting, String> values = new EnumMap<>(Setting.class);
        final Map<String, Object> streams = new HashMap<>();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        streams.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        streams.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // the per-IP, per-client and per-lesson states are small but many: a larger record cache saves RocksDB and
        // changelog writes (measured +23% on a real broker against the 10 MiB default)
        streams.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);

        for (final Setting setting : Setting.values()) {
            values.put(setting, setting.defaultValue());
        }
        for (final String name : properties.stringPropertyNames()) {
            final String value = properties.getProperty(name);
            if (name.startsWith("detector.")) {
                values.put(settingFor(name), value);
            } else {
                streams.put(name, value);
            }
        }
        for (final Map.Entry<String, String> variable : environment.entrySet()) {
            final String name = variable.getKey();
            if (name.startsWith(KAFKA_ENV_PREFIX)) {
                streams.put(name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), variable.getValue());
            } else {
                for (final Setting setting : Setting.values()) {
                    if (setting.environmentVariable().equals(name)) {
                        values.put(setting, variable.getValue());
                    }
                }
            }
        }
        return build(values, streams, null);
    }

    private static Setting settingFor(final String key) {
        for (final Setting setting : Setting.values()) {
            if (setting.key().equals(key)) {
                return setting;
            }
        }
        throw new ConfigException("unknown configuration key '" + key + "'; the detector.* keys are listed in the README");
    }

    /**
     * The configuration of {@code values}; {@code calendarDays} the extra non-class days, or null to read them from
     * {@link Setting#BAND_CALENDAR_FILE}.
     */
    private static DetectorConfig build(final Map<Setting, String> values, final Map<String, Object> streams, final Set<LocalDate> calendarDays) {
        final Reader read = new Reader(values);
        final String prefix = read.text(Setting.TOPIC_PREFIX);
        final String database = read.text(Setting.DATABASE);
        final String applicationId = String.valueOf(streams.get(StreamsConfig.APPLICATION_ID_CONFIG));
        final TopicNames topics = new TopicNames(
                read.textOr(Setting.TOPIC_LOGS, prefix + "." + database + ".logs"),
                read.textOr(Setting.TOPIC_COHORTS, prefix + "." + database + ".cohorts"),
                read.text(Setting.TOPIC_SUSPICIOUS_IP),
                read.text(Setting.TOPIC_LESSON_BAND),
                read.text(Setting.TOPIC_INACTIVE_STUDENT),
                read.text(Setting.TOPIC_DEAD_LETTER),
                read.textOr(Setting.TOPIC_COHORT_TABLE, applicationId + "-cohort-table"),
                read.text(Setting.TOPIC_RULES),
                read.textOr(Setting.TOPIC_RULES_IN_FORCE, applicationId + "-rules-in-force"),
                read.text(Setting.TOPIC_SIMULATED));

        final List<PaceScale> paceScales = new ArrayList<>();
        paceScales.add(new PaceScale(read.positiveDuration(Setting.BURST_WINDOW), read.positiveInt(Setting.BURST_MIN_PAGES),
                read.positiveInt(Setting.BURST_PAGES_PER_USER)));
        paceScales.addAll(read.list(Setting.BURST_SCALES, 3, "window:min-distinct-pages:min-pages-per-user, e.g. 2m:40:20",
                parts -> new PaceScale(Durations.parse(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]))));
        final BurstSettings burst = new BurstSettings(paceScales, read.positiveDuration(Setting.BURST_GAP));
        final int crawlSlots = read.positiveInt(Setting.CRAWL_SLOTS);
        final int crawlActiveSlots = read.positiveInt(Setting.CRAWL_MIN_ACTIVE_SLOTS);
        if (crawlActiveSlots > crawlSlots) {
            throw new ConfigException(Setting.CRAWL_MIN_ACTIVE_SLOTS.key(), crawlActiveSlots,
                    "cannot exceed " + Setting.CRAWL_SLOTS.key() + " (" + crawlSlots + ")");
        }
        final List<CrawlScale> crawlScales = new ArrayList<>();
        crawlScales.add(new CrawlScale(read.positiveDuration(Setting.CRAWL_WINDOW), read.positiveInt(Setting.CRAWL_MIN_PAGES),
                crawlSlots, crawlActiveSlots));
        crawlScales.addAll(read.list(Setting.CRAWL_SCALES, 4, "window:min-distinct-pages:slots:min-active-slots, e.g. 3h:240:12:9",
                parts -> new CrawlScale(Durations.parse(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]))));
        final CrawlSettings crawl = new CrawlSettings(crawlScales,
                read.parsed(Setting.CRAWL_NEW_PAGE_SHARE, Double::parseDouble, "a number from 0 to 1", v -> v >= 0 && v <= 1));
        final BandSettings band = new BandSettings(
                read.positiveDuration(Setting.BAND_WINDOW),
                read.parsed(Setting.BAND_K, Double::parseDouble, "a positive number", v -> v > 0),
                read.positiveInt(Setting.BAND_HISTORY),
                read.positiveInt(Setting.BAND_MIN_HISTORY),
                read.parsed(Setting.BAND_MIN_MEAN, Double::parseDouble, "a number >= 0", v -> v >= 0),
                read.bool(Setting.BAND_WEEKLY),
                read.parsed(Setting.BAND_MODEL, BandSettings.Model::parse, "sqrt or bollinger", v -> true),
                read.parsed(Setting.BAND_MIN_EFFECT, Double::parseDouble, "a number >= 0", v -> v >= 0),
                calendar(read, values, calendarDays));
        if (band.minHistory() > band.history()) {
            throw new ConfigException(Setting.BAND_MIN_HISTORY.key(), band.minHistory(),
                    "cannot exceed " + Setting.BAND_HISTORY.key() + " (" + band.history() + ")");
        }
        if (Duration.ofDays(1).toMillis() % band.window().toMillis() != 0 && band.window().toMillis() % Duration.ofDays(1).toMillis() != 0) {
            throw new ConfigException(Setting.BAND_WINDOW.key(), values.get(Setting.BAND_WINDOW),
                    "must divide a day (e.g. 1h, 6h) or be whole days, so windows align to campus midnight");
        }
        return new DetectorConfig(
                topics,
                read.parsed(Setting.CAMPUS_ZONE, ZoneId::of, "a time zone such as America/Chicago", v -> true),
                read.parsed(Setting.TIME_PRECISION_MODE, TimePrecisionMode::parse, "adaptive_time_microseconds, connect or isostring", v -> true),
                read.bool(Setting.INPUT_KEYED_BY_IP),
                read.parsed(Setting.REPARTITION, Repartition::parse, "auto, always or never", v -> true),
                read.duration(Setting.GRACE, true),
                read.positiveDuration(Setting.FUTURE_TOLERANCE),
                read.positiveInt(Setting.MAX_PATH_LENGTH),
                read.parsed(Setting.ALLOWLIST, IpAllowlist::parse, "IPs or CIDR blocks separated by commas", v -> true),
                burst,
                crawl,
                band,
                new ViewSettings(read.positiveInt(Setting.INACTIVE_CLASS_DAYS), read.positiveInt(Setting.INACTIVE_MIN_ACCESSES),
                        read.duration(Setting.VIEWS_NEW_LESSON_AGE, true)),
                read.parsed(Setting.STATE_CACHE_MAX_ENTRIES, Integer::parseInt, "a whole number >= 0 (0: every entry)", v -> v >= 0),
                streams,
                values);
    }

    private static CampusCalendar calendar(final Reader read, final Map<Setting, String> values, final Set<LocalDate> calendarDays) {
        final List<String> sets = List.of(read.text(Setting.BAND_HOLIDAYS).split(","));
        final String file = values.get(Setting.BAND_CALENDAR_FILE).trim();
        final Set<LocalDate> days;
        try {
            days = calendarDays != null ? calendarDays : file.isEmpty() ? Set.of() : CampusCalendar.readDays(Path.of(file));
        } catch (final NoSuchFileException e) {
            throw new ConfigException(Setting.BAND_CALENDAR_FILE.key(), file, "no such file");
        } catch (final IOException e) {
            throw new ConfigException(Setting.BAND_CALENDAR_FILE.key(), file, "cannot be read: " + e.getMessage());
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(Setting.BAND_CALENDAR_FILE.key(), file, e.getMessage());
        }
        try {
            return CampusCalendar.of(sets, days);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(Setting.BAND_HOLIDAYS.key(), values.get(Setting.BAND_HOLIDAYS), e.getMessage());
        }
    }

    public String applicationId() {
        return String.valueOf(streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    /** The Kafka Streams properties, ready for {@code new KafkaStreams(topology, props)}. */
    public Properties streamsConfig() {
        final Properties props = new Properties();
        props.putAll(streamsProperties);
        return props;
    }

    /** A copy with other Kafka settings on top, e.g. a replay's own application id. */
    public DetectorConfig withStreamsOverrides(final Map<String, ?> overrides) {
        final Map<String, Object> merged = new HashMap<>(streamsProperties);
        merged.putAll(overrides);
        return new DetectorConfig(topics, campusZone, timePrecisionMode, inputKeyedByIp, repartition, grace, futureTolerance, maxPathLength,
                allowlist, burst, crawl, band, views, stateCacheMaxEntries, merged, settings);
    }

    /**
     * A copy reading and writing other topics, e.g. a replay's own, so that nothing it does reaches the live
     * detector's topics; {@code inputKeyedByIp} as {@link Setting#INPUT_KEYED_BY_IP}.
     */
    public DetectorConfig withTopics(final TopicNames names, final boolean inputKeyedByIp) {
        return new DetectorConfig(names, campusZone, timePrecisionMode, inputKeyedByIp, repartition, grace, futureTolerance, maxPathLength,
                allowlist, burst, crawl, band, views, stateCacheMaxEntries, streamsProperties, settings);
    }

    /**
     * A copy with {@link Setting#REPARTITION} resolved for a logs topic of {@code partitions} partitions; fails with a
     * ConfigException when {@code never} was asked for a topic of several.
     */
    public DetectorConfig withLogsPartitions(final int partitions) {
        final Repartition resolved;
        try {
            resolved = repartition.forPartitions(partitions);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(Setting.REPARTITION.key(), repartition.name().toLowerCase(Locale.ROOT), e.getMessage());
        }
        return new DetectorConfig(topics, campusZone, timePrecisionMode, inputKeyedByIp, resolved, grace, futureTolerance, maxPathLength,
                allowlist, burst, crawl, band, views, stateCacheMaxEntries, streamsProperties, settings);
    }

    /** A copy with {@link Setting#REPARTITION} set to {@code repartition}. */
    public DetectorConfig withRepartition(final Repartition repartition) {
        return new DetectorConfig(topics, campusZone, timePrecisionMode, inputKeyedByIp, repartition, grace, futureTolerance, maxPathLength,
                allowlist, burst, crawl, band, views, stateCacheMaxEntries, streamsProperties, settings);
    }

    /**
     * A copy with the rule settings {@code overrides} on top of this configuration's own values and {@code extraDays} added to
     * its calendar's: the detection settings (burst, crawl, bands, allowlist) as a rule record sets them; topics, Kafka
     * settings and the resolved repartition stay. Reads no file.
     *
     * @throws ConfigException naming the key of a value that does not parse or lies out of range
     */
    public DetectorConfig withSettings(final Map<Setting, String> overrides, final Set<LocalDate> extraDays) {
        final Map<Setting, String> merged = new EnumMap<>(settings);
        merged.putAll(overrides);
        final Set<LocalDate> days = new TreeSet<>(band.calendar().extraDays());
        days.addAll(extraDays);
        final DetectorConfig tuned = build(merged, new HashMap<>(streamsProperties), days);
        return new DetectorConfig(topics, campusZone, timePrecisionMode, inputKeyedByIp, repartition, grace, futureTolerance, maxPathLength,
                tuned.allowlist, tuned.burst, tuned.crawl, tuned.band, views, stateCacheMaxEntries, streamsProperties, merged);
    }

    /** False only when the topology runs as one task ({@link Repartition#NEVER}); {@code auto} not yet resolved repartitions. */
    public boolean repartitions() {
        return repartition != Repartition.NEVER;
    }

    /** Reads typed values and turns any parse failure into a ConfigException that names the key. */
    private static final class Reader {
        /** Longer durations make no sense for these windows and would overflow millisecond arithmetic. */
        private static final Duration LONGEST = Duration.ofDays(3650);

        private final Map<Setting, String> values;

        Reader(final Map<Setting, String> values) {
            this.values = values;
        }

        String text(final Setting setting) {
            final String value = values.get(setting).trim();
            if (value.isEmpty()) {
                throw new ConfigException(setting.key(), value, "must not be empty");
            }
            return value;
        }

        String textOr(final Setting setting, final String derived) {
            final String value = values.get(setting).trim();
            return value.isEmpty() ? derived : value;
        }

        <T> T parsed(final Setting setting, final Function<String, T> parser, final String expected,
                     final Predicate<T> valid) {
            final String raw = values.get(setting);
            final T value;
            try {
                value = parser.apply(raw.trim());
            } catch (final IllegalArgumentException | DateTimeException | ArithmeticException e) {
                throw new ConfigException(setting.key(), raw, "expected " + expected + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
            if (!valid.test(value)) {
                throw new ConfigException(setting.key(), raw, "expected " + expected);
            }
            return value;
        }

        int positiveInt(final Setting setting) {
            return parsed(setting, Integer::parseInt, "a whole number > 0", v -> v > 0);
        }

        Duration positiveDuration(final Setting setting) {
            return duration(setting, false);
        }

        /** A duration of at most {@link #LONGEST}, greater than zero unless {@code zeroAllowed}. */
        Duration duration(final Setting setting, final boolean zeroAllowed) {
            return parsed(setting, Durations::parse, "a duration " + (zeroAllowed ? ">= 0" : "> 0") + " and at most "
                            + Durations.format(LONGEST) + " such as " + (zeroAllowed ? "10m" : "20s"),
                    v -> !v.isNegative() && (zeroAllowed || !v.isZero()) && v.compareTo(LONGEST) <= 0);
        }

        /**
         * A comma-separated list of colon-separated entries of {@code fields} fields each (empty: none), every entry
         * made by {@code entry}; an entry that does not parse fails with the key.
         */
        <T> List<T> list(final Setting setting, final int fields, final String expected, final Function<String[], T> entry) {
            final String raw = values.get(setting).trim();
            final List<T> entries = new ArrayList<>();
            if (raw.isEmpty()) {
                return entries;
            }
            for (final String item : raw.split(",")) {
                final String[] parts = item.trim().split(":");
                if (parts.length != fields) {
                    throw new ConfigException(setting.key(), raw, "expected entries " + expected);
                }
                try {
                    entries.add(entry.apply(parts));
                } catch (final IllegalArgumentException | DateTimeException | ArithmeticException e) {
                    throw new ConfigException(setting.key(), raw, "expected entries " + expected + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
                }
            }
            return entries;
        }

        boolean bool(final Setting setting) {
            return parsed(setting, raw -> {
                if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(raw);
                }
                throw new IllegalArgumentException("not a boolean");
            }, "true or false", v -> true);
        }
    }
}
