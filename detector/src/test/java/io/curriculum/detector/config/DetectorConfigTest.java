package io.curriculum.detector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.curriculum.detector.detect.CrawlScale;
import io.curriculum.detector.detect.PaceScale;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DetectorConfigTest {

    // ---------------------------------------------------------------- defaults

    @Test
    void shouldDefaultToDebeziumTopicsAndAlertTopics() {
        // when
        final TopicNames topics = DetectorConfig.defaults().topics();

        // then
        assertThat(topics.logs()).isEqualTo("curriculum.curriculum_logs.logs");
        assertThat(topics.cohorts()).isEqualTo("curriculum.curriculum_logs.cohorts");
        assertThat(topics.suspiciousIp()).isEqualTo("curriculum.alerts.suspicious-ip");
        assertThat(topics.lessonBand()).isEqualTo("curriculum.alerts.lesson-band");
        assertThat(topics.deadLetter()).isEqualTo("curriculum.dead-letter");
        assertThat(topics.cohortTable()).isEqualTo("curriculum-detector-cohort-table");
    }

    @Test
    void shouldDefaultToChicagoTenMinutesGraceAndDocumentedRuleSettings() {
        // when
        final DetectorConfig config = DetectorConfig.defaults();

        // then
        assertThat(config.campusZone()).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(config.grace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.timePrecisionMode()).isEqualTo(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS);
        assertThat(config.inputKeyedByIp()).isFalse();
        assertThat(config.maxPathLength()).isEqualTo(2048);
        assertThat(config.allowlist().isEmpty()).isTrue();
        assertThat(config.burst().scales().get(0).window()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.burst().scales().get(0).minDistinctPages()).isEqualTo(30);
        assertThat(config.burst().episodeGap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.crawl().scales().get(0).window()).isEqualTo(Duration.ofHours(1));
        assertThat(config.crawl().scales().get(0).minDistinctPages()).isEqualTo(200);
        assertThat(config.crawl().scales().get(0).slots()).isEqualTo(12);
        assertThat(config.crawl().scales().get(0).minActiveSlots()).isEqualTo(9);
        assertThat(config.burst().scales()).extracting(PaceScale::window, PaceScale::minDistinctPages, PaceScale::minPagesPerUser).containsExactly(
                tuple(Duration.ofSeconds(20), 30, 10), tuple(Duration.ofMinutes(2), 40, 20), tuple(Duration.ofMinutes(10), 100, 40));
        assertThat(config.crawl().scales()).extracting(CrawlScale::window, CrawlScale::minDistinctPages, CrawlScale::slots, CrawlScale::minActiveSlots)
                .containsExactly(tuple(Duration.ofHours(1), 200, 12, 9), tuple(Duration.ofHours(3), 240, 12, 9));
        assertThat(config.crawl().minNewPageShare()).isEqualTo(0.5);
        assertThat(config.band().window()).isEqualTo(Duration.ofDays(1));
        assertThat(config.band().k()).isEqualTo(4.0);
        assertThat(config.band().model()).isEqualTo(io.curriculum.detector.detect.BandSettings.Model.SQRT);
        assertThat(config.band().minEffect()).isEqualTo(10.0);
        assertThat(config.band().calendar()).isEqualTo(io.curriculum.detector.detect.CampusCalendar.defaults());
        assertThat(config.band().history()).isEqualTo(8);
        assertThat(config.band().minHistory()).isEqualTo(4);
        assertThat(config.band().minMean()).isEqualTo(10.0);
        assertThat(config.band().weekly()).isTrue();
    }

    @Test
    void shouldDefaultToExactlyOnceV2AndExplicitInternalResourceNaming() {
        // when
        final DetectorConfig config = DetectorConfig.defaults();
        final Properties streams = config.streamsConfig();

        // then
        assertThat(streams.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(streams.get("ensure.explicit.internal.resource.naming")).isEqualTo(true);
        assertThat(streams.get("application.id")).isEqualTo("curriculum-detector");
        assertThat(streams.get("bootstrap.servers")).isEqualTo("localhost:9092");
        assertThat(config.applicationId()).isEqualTo("curriculum-detector");
    }

    // ---------------------------------------------------------------- precedence

    @Test
    void shouldLetPropertiesFileOverrideDefault() {
        // given
        final Properties file = properties("detector.burst.window", "45s", "detector.campus-zone", "Europe/Berlin");

        // when
        final DetectorConfig config = DetectorConfig.from(file, Map.of());

        // then
        assertThat(config.burst().scales().get(0).window()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.campusZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void shouldReadFurtherScalesAndAllowNoneWhenEmpty() {
        // given
        final Properties file = properties("detector.burst.scales", " 1m:35:15 , 30m:150:60", "detector.crawl.scales", "");

        // when
        final DetectorConfig config = DetectorConfig.from(file, Map.of());

        // then
        assertThat(config.burst().scales()).extracting(PaceScale::window).containsExactly(Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofMinutes(30));
        assertThat(config.crawl().scales()).hasSize(1);
    }

    @Test
    void shouldRejectAScaleThatDoesNotParseNamingTheKey() {
        // given
        final Properties missingField = properties("detector.burst.scales", "2m:40");
        final Properties tooManyActiveSlots = properties("detector.crawl.scales", "3h:240:12:13");

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(missingField, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("detector.burst.scales");
        assertThatThrownBy(() -> DetectorConfig.from(tooManyActiveSlots, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("detector.crawl.scales");
    }

    @Test
    void shouldLetEnvironmentVariableOverridePropertiesFile() {
        // given
        final Properties file = properties("detector.burst.window", "45s");
        final Map<String, String> environment = Map.of("DETECTOR_BURST_WINDOW", "30s");

        // when
        final DetectorConfig config = DetectorConfig.from(file, environment);

        // then
        assertThat(config.burst().scales().get(0).window()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldLetEnvironmentVariableOverrideDefaultWithHyphenatedKey() {
        // given
        final Map<String, String> environment = Map.of("DETECTOR_BURST_MIN_DISTINCT_PAGES", "40", "DETECTOR_CAMPUS_ZONE", "UTC");

        // when
        final DetectorConfig config = DetectorConfig.from(new Properties(), environment);

        // then
        assertThat(config.burst().scales().get(0).minDistinctPages()).isEqualTo(40);
        assertThat(config.campusZone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void shouldIgnoreUnrelatedEnvironmentVariables() {
        // given
        final Map<String, String> environment = Map.of("PATH", "/usr/bin", "HOME", "/root", "DETECTOR_UNKNOWN_THING", "x");

        // when
        final DetectorConfig config = DetectorConfig.from(new Properties(), environment);

        // then
        assertThat(config).usingRecursiveComparison().isEqualTo(DetectorConfig.defaults());
    }

    @Test
    void shouldSetBootstrapServersFromKafkaEnvironmentVariable() {
        // given
        final Map<String, String> environment = Map.of("DETECTOR_KAFKA_BOOTSTRAP_SERVERS", "broker:9093");

        // when
        final Properties streams = DetectorConfig.from(properties("bootstrap.servers", "file:9092"), environment).streamsConfig();

        // then
        assertThat(streams.get("bootstrap.servers")).isEqualTo("broker:9093");
    }

    @Test
    void shouldPassNonDetectorKeysThroughUntouched() {
        // given
        final Properties file = properties(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "num.stream.threads", "4");

        // when
        final Properties streams = DetectorConfig.from(file, Map.of()).streamsConfig();

        // then
        assertThat(streams.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(streams.get("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(streams.get("num.stream.threads")).isEqualTo("4");
        assertThat(streams.keySet()).noneMatch(key -> String.valueOf(key).startsWith("detector."));
    }

    @Test
    void shouldDeriveInputTopicsFromChangedTopicPrefix() {
        // given
        final Properties file = properties("detector.topic.prefix", "campus2");

        // when
        final TopicNames topics = DetectorConfig.from(file, Map.of()).topics();

        // then
        assertThat(topics.logs()).isEqualTo("campus2.curriculum_logs.logs");
        assertThat(topics.cohorts()).isEqualTo("campus2.curriculum_logs.cohorts");
        assertThat(topics.suspiciousIp()).isEqualTo("curriculum.alerts.suspicious-ip");
    }

    @Test
    void shouldPreferExplicitTopicOverDerivedNameAndDeriveCohortTableFromApplicationId() {
        // given
        final Properties file = properties(
                "detector.database", "logs_db",
                "detector.topic.cohorts", "my.cohorts",
                "application.id", "replay-1");

        // when
        final DetectorConfig config = DetectorConfig.from(file, Map.of());

        // then
        assertThat(config.topics().logs()).isEqualTo("curriculum.logs_db.logs");
        assertThat(config.topics().cohorts()).isEqualTo("my.cohorts");
        assertThat(config.topics().cohortTable()).isEqualTo("replay-1-cohort-table");
        assertThat(config.applicationId()).isEqualTo("replay-1");
    }

    // ---------------------------------------------------------------- wrong values

    @Test
    void shouldRejectUnknownDetectorKeyNamingIt() {
        // given
        final Properties file = properties("detector.burst.windw", "20s");

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detector.burst.windw");
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource({
            "detector.burst.window, fast",
            "detector.burst.window, 0s",
            "detector.grace, -5m",
            "detector.grace, -PT5M",
            "detector.campus-zone, Mars/Base",
            "detector.band.window, 7h",
            "detector.allowlist, nonsense",
            "detector.input.keyed-by-ip, yes",
            "detector.burst.min-distinct-pages, 0",
            "detector.crawl.slots, twelve",
            "detector.band.k, -1",
            "detector.time-precision-mode, nanos",
            "detector.topic.suspicious-ip, ' '"
    })
    void shouldRejectWrongValueWithConfigExceptionNamingTheKey(final String key, final String value) {
        // given
        final Properties file = properties(key, value);

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource({
            "detector.burst.window, 9999999999999999d",
            "detector.band.window, 200000000000d"
    })
    void shouldRejectDurationTooLongForMillisecondsWithConfigExceptionNamingTheKey(final String key, final String value) {
        // given: a duration whose seconds or milliseconds overflow a long
        final Properties file = properties(key, value);

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void shouldRejectWrongValueFromEnvironmentNamingTheKey() {
        // given
        final Map<String, String> environment = Map.of("DETECTOR_GRACE", "soon");

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(new Properties(), environment))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detector.grace");
    }

    @Test
    void shouldRejectMoreActiveSlotsThanSlots() {
        // given
        final Properties file = properties("detector.crawl.slots", "6", "detector.crawl.min-active-slots", "7");

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detector.crawl.min-active-slots")
                .hasMessageContaining("detector.crawl.slots");
    }

    @Test
    void shouldRejectMinHistoryAboveHistory() {
        // given
        final Properties file = properties("detector.band.history", "3");

        // when / then
        assertThatThrownBy(() -> DetectorConfig.from(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detector.band.min-history");
    }

    @ParameterizedTest(name = "band window {0} is accepted")
    @CsvSource({"1h, PT1H", "6h, PT6H", "30m, PT30M", "1d, PT24H", "2d, PT48H"})
    void shouldAcceptBandWindowThatDividesADayOrIsWholeDays(final String value, final Duration expected) {
        // given
        final Properties file = properties("detector.band.window", value);

        // when
        final DetectorConfig config = DetectorConfig.from(file, Map.of());

        // then
        assertThat(config.band().window()).isEqualTo(expected);
    }

    @Test
    void shouldAcceptZeroGrace() {
        // when
        final DetectorConfig config = DetectorConfig.from(properties("detector.grace", "0s"), Map.of());

        // then
        assertThat(config.grace()).isZero();
    }

    // ---------------------------------------------------------------- durations

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"500ms, PT0.5S", "20s, PT20S", "10m, PT10M", "1h, PT1H", "1d, PT24H", "PT20S, PT20S", "' 10M ', PT10M"})
    void shouldParseShortAndIsoDurations(final String text, final Duration expected) {
        // when
        final Duration parsed = Durations.parse(text);

        // then
        assertThat(parsed).isEqualTo(expected);
    }

    @Test
    void shouldRejectUnparsableDurationShowingExamples() {
        // when / then
        assertThatThrownBy(() -> Durations.parse("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'abc'")
                .hasMessageContaining("500ms")
                .hasMessageContaining("20s")
                .hasMessageContaining("PT20S");
    }

    @Test
    void shouldFormatDurationsInTheirLargestWholeUnit() {
        // when / then
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    }

    // ---------------------------------------------------------------- settings

    @ParameterizedTest(name = "{0}")
    @EnumSource(Setting.class)
    void shouldNameEverySettingUnderDetectorWithMatchingEnvironmentVariable(final Setting setting) {
        // when
        final String variable = setting.environmentVariable();

        // then
        assertThat(setting.key()).startsWith("detector.");
        assertThat(variable).isEqualTo(setting.key().toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        assertThat(variable).matches("DETECTOR_[A-Z0-9_]+").doesNotStartWith("DETECTOR_KAFKA_");
    }

    @Test
    void shouldDeriveEnvironmentVariableByUpperCasingAndReplacingDotsAndHyphens() {
        // when / then
        assertThat(Setting.BURST_WINDOW.environmentVariable()).isEqualTo("DETECTOR_BURST_WINDOW");
        assertThat(Setting.BURST_MIN_PAGES.environmentVariable()).isEqualTo("DETECTOR_BURST_MIN_DISTINCT_PAGES");
        assertThat(Setting.TOPIC_SUSPICIOUS_IP.environmentVariable()).isEqualTo("DETECTOR_TOPIC_SUSPICIOUS_IP");
        assertThat(Setting.INPUT_KEYED_BY_IP.environmentVariable()).isEqualTo("DETECTOR_INPUT_KEYED_BY_IP");
    }

    @Test
    void shouldGiveEverySettingItsOwnKeyAndEnvironmentVariable() {
        // given
        final Set<String> keys = new HashSet<>();
        final Set<String> variables = new HashSet<>();

        // when
        for (final Setting setting : Setting.values()) {
            keys.add(setting.key());
            variables.add(setting.environmentVariable());
        }

        // then
        assertThat(keys).hasSize(Setting.values().length);
        assertThat(variables).hasSize(Setting.values().length);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Setting.class)
    void shouldAcceptEverySettingsDefaultWhenGivenExplicitly(final Setting setting) {
        // given
        final Properties file = properties(setting.key(), setting.defaultValue());

        // when
        final DetectorConfig config = DetectorConfig.from(file, Map.of());

        // then
        assertThat(config).usingRecursiveComparison().isEqualTo(DetectorConfig.defaults());
    }

    // ---------------------------------------------------------------- test data

    private static Properties properties(final String... keysAndValues) {
        final Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
