package io.curriculum.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.Setting;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RulesFileTest {

    private static final DetectorConfig CONFIG = DetectorConfig.defaults();

    @Test
    void shouldPutEveryRuleOfTheFileInForceOverTheConfiguration() throws Exception {
        // given
        final String text = """
                {
                  "machine-speed": {"version": 2, "settings": {"detector.burst.min-distinct-pages": 25}},
                  "lesson-band": {"version": 3, "simulate": true, "settings": {"detector.band.k": "3.5", "detector.band.model": "bollinger"}},
                  "allowlist": {"version": 1, "settings": {"detector.allowlist": "10.0.0.0/8"}},
                  "calendar": {"version": 4, "days": ["2019-03-11..2019-03-15"], "note": "spring break"}
                }
                """;

        // when
        final RuleSet rules = RulesFile.parse(text, "rules.json", CONFIG).applyTo(CONFIG);

        // then
        assertThat(rules.machineSpeed().burst().scales().get(0).minDistinctPages()).isEqualTo(25);
        assertThat(rules.machineSpeed().burst().scales()).hasSize(3);
        assertThat(rules.band().settings().k()).isEqualTo(3.5);
        assertThat(rules.band().settings().model().label()).isEqualTo("bollinger");
        assertThat(rules.band().settings().calendar().isNonClassDay(LocalDate.parse("2019-03-13"))).isTrue();
        assertThat(rules.band().settings().calendar().isNonClassDay(LocalDate.parse("2019-12-25"))).as("built-in sets stay").isTrue();
        assertThat(rules.allowlist().contains("10.1.2.3")).isTrue();
        assertThat(rules.version(RuleId.LESSON_BAND)).isEqualTo(3);
        assertThat(rules.simulated(RuleId.LESSON_BAND)).isTrue();
        assertThat(rules.simulated(RuleId.MACHINE_SPEED)).isFalse();
        assertThat(rules.value(Setting.BURST_WINDOW)).isEqualTo("20s");
        // and the configuration is left as it was
        assertThat(CONFIG.burst().scales().get(0).minDistinctPages()).isEqualTo(30);
    }

    @Test
    void shouldNameTheLineAndKeyOfAValueOutOfRange() {
        final String text = """
                {
                  "machine-speed": {
                    "version": 2,
                    "settings": {
                      "detector.burst.window": "20s",
                      "detector.crawl.min-new-page-share": 1.5
                    }
                  }
                }
                """;
        assertThatThrownBy(() -> RulesFile.parse(text, "rules.json", CONFIG))
                .hasMessageStartingWith("rules.json line 6: machine-speed: ")
                .hasMessageContaining("detector.crawl.min-new-page-share");
    }

    @Test
    void shouldNameTheLineOfAnUnknownKey() {
        final String text = "{\n  \"lesson-band\": {\n    \"version\": 1,\n    \"settings\": {\"detector.band.window\": \"1h\"}\n  }\n}\n";
        assertThatThrownBy(() -> RulesFile.parse(text, "rules.json", CONFIG))
                .hasMessageStartingWith("rules.json line 4: lesson-band: unknown key 'detector.band.window' for rule lesson-band")
                .hasMessageContaining("detector.band.k");
    }

    @Test
    void shouldNameTheLineOfAnUnknownRuleAndOfBadJson() {
        assertThatThrownBy(() -> RulesFile.parse("{\n\n  \"burst\": {\"version\": 1}\n}", "r.json", CONFIG))
                .hasMessage("r.json line 3: unknown rule id 'burst' (known: machine-speed, lesson-band, allowlist, calendar)");
        assertThatThrownBy(() -> RulesFile.parse("{\n  \"allowlist\": {\"version\": 1,,}\n}", "r.json", CONFIG))
                .hasMessageStartingWith("r.json line 2: not JSON");
    }

    @Test
    void shouldRefuseSimulateOnARuleThatRaisesNoAlertsAndAMissingVersion() {
        assertThatThrownBy(() -> RulesFile.parse("{\"allowlist\": {\"version\": 1, \"simulate\": true}}", "r.json", CONFIG))
                .hasMessageContaining("simulate applies to the rules that raise alerts");
        assertThatThrownBy(() -> RulesFile.parse("{\"allowlist\": {\"settings\": {}}}", "r.json", CONFIG))
                .hasMessageContaining("version must be a whole number of at least 1");
    }

    @Test
    void shouldReadBackTheRecordItWrites() throws Exception {
        // given
        final RuleRecord record = RuleRecord.parse(RuleId.CALENDAR,
                io.curriculum.detector.serde.JsonSerde.MAPPER.readTree("{\"version\": 9, \"settings\": {\"detector.band.holidays\": \"none\"}, \"days\": [\"2019-03-11\"]}"));

        // when
        final RuleRecord again = RuleRecord.parse("calendar", io.curriculum.detector.serde.JsonSerde.MAPPER.writeValueAsBytes(record.toJson()));

        // then
        assertThat(again).isEqualTo(record);
    }
}
