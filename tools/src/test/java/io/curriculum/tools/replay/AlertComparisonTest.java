package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.serde.AlertSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two alerts files compared by alert id, per rule, read back into their records. */
class AlertComparisonTest {

    private static final Instant DAY = Instant.parse("2019-03-04T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldListAddedRemovedAndChangedAlertsPerRuleLeavingTheRuleVersionOut() throws IOException {
        // given a band alert both raise with another count, one only the current raises, and an inactive student only the candidate
        final BandAlert changed = band("java-ii/arrays", 97, 0);
        final Path current = write("current.jsonl", List.of(changed, band("java-ii/loops", 40, 0)));
        final Path candidate = write("candidate.jsonl", List.of(band("java-ii/arrays", 98, 2), inactive()));

        // when
        final AlertComparison comparison = AlertComparison.of(current, candidate);

        // then
        assertThat(comparison.same()).isFalse();
        assertThat(comparison.rules()).containsOnlyKeys(BandAlert.RULE_ID, InactiveStudentAlert.RULE);
        final AlertComparison.PerRule bands = comparison.rules().get(BandAlert.RULE_ID);
        assertThat(bands.current()).isEqualTo(2);
        assertThat(bands.candidate()).isEqualTo(1);
        assertThat(bands.removed()).containsExactly(band("java-ii/loops", 40, 0).alertId());
        assertThat(bands.added()).isEmpty();
        assertThat(bands.changed()).singleElement().satisfies(change -> {
            assertThat(change.alertId()).isEqualTo(changed.alertId());
            assertThat(change.differences()).containsExactly("count: 97 -> 98");
        });
        assertThat(comparison.rules().get(InactiveStudentAlert.RULE).added()).containsExactly(inactive().alertId());
    }

    @Test
    void shouldFindTheSameAlertsTheSame() throws IOException {
        // given
        final List<AlertRecord> alerts = List.of(band("java-ii/arrays", 97, 0), inactive());

        // when
        final AlertComparison comparison = AlertComparison.of(write("a.jsonl", alerts), write("b.jsonl", alerts));

        // then
        assertThat(comparison.same()).isTrue();
    }

    private Path write(final String name, final List<AlertRecord> alerts) throws IOException {
        final StringBuilder lines = new StringBuilder();
        alerts.forEach(alert -> lines.append(AlertSerde.text(alert)).append('\n'));
        return Files.writeString(dir.resolve(name), lines);
    }

    private static BandAlert band(final String lesson, final long count, final long ruleVersion) {
        return new BandAlert("band-spike|2|" + lesson + "|" + DAY, "band-spike", "closed", "sqrt", 2, "Java", lesson, DAY,
                DAY.plus(Duration.ofDays(1)), count, 12.5, 3.25, 22.75, 6.12, null, null, 12.0, 3.46, 3.0, 28, DAY, 1, 97, 12.5, DAY,
                BandAlert.RULE_ID, ruleVersion, false);
    }

    private static InactiveStudentAlert inactive() {
        return new InactiveStudentAlert("inactive-student|417|61", InactiveStudentAlert.RULE, 417, 61, "Zion", 2, "Java",
                LocalDate.parse("2019-03-04"), LocalDate.parse("2019-03-15"), 10, 2, 5, DAY, null, DAY);
    }
}
