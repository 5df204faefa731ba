package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.TimePrecisionMode;
import io.curriculum.detector.decode.CohortChange;
import io.curriculum.detector.decode.CohortDecoder;
import io.curriculum.detector.decode.LogDecoder;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.model.Cohort;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** What a replay writes must decode, with the detector's own decoders, into exactly the row it was written from. */
class DebeziumEventsTest {

    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    private final LogDecoder logs = new LogDecoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS, CHICAGO, 2048);
    private final CohortDecoder cohorts = new CohortDecoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS);

    private static HistoryRow log(final long id, final String localTime, final String path, final Long user, final Integer cohort,
                                  final String ip) {
        return new HistoryRow(id, 1, LocalDateTime.parse(localTime), path, user, cohort, ip);
    }

    private static CohortRow cohort(final int id, final String name, final String slack, final String deletedAt) {
        return new CohortRow(id, name, slack, LocalDate.of(2019, 1, 7), LocalDate.of(2029, 3, 1), "2018-12-06 17:04:19",
                "2018-12-06 17:04:20", deletedAt, 2);
    }

    @Test
    void shouldDecodeToTheSameAccessWhenTheRowHasUserAndCohortInWinterTime() {
        // given
        final HistoryRow row = log(123_456, "2018-01-26T09:55:03", "java-ii/arrays", 11L, 22, "97.105.19.61");

        // when
        final Access access = logs.decode(DebeziumEvents.log(row));

        // then
        assertThat(access).isEqualTo(new Access(123_456, row.localTime(), Instant.parse("2018-01-26T15:55:03Z"), "java-ii/arrays",
                11L, 22, "97.105.19.61"));
    }

    @Test
    void shouldDecodeToTheSameAccessWhenThePathNeedsEscapingAndUserAndCohortAreNull() {
        // given
        final String path = "a \"quoted\" path\\with\\backslashes/caf\u00e9/\u65e5\u672c/\ud83d\ude00\t/end";
        final HistoryRow row = log(7, "2019-07-04T23:59:58.123456", path, null, null, "2600:1700:e1c0:f340::1");

        // when
        final Access access = logs.decode(DebeziumEvents.log(row));

        // then
        assertThat(access).isEqualTo(new Access(7, LocalDateTime.parse("2019-07-04T23:59:58.123456"),
                Instant.parse("2019-07-05T04:59:58.123456Z"), path, null, null, "2600:1700:e1c0:f340::1"));
    }

    @Test
    void shouldDecodeToTheSameCohortWhenTheRowIsLiveWithSpecialCharacters() {
        // given
        final CohortRow row = cohort(136, "Placeholder \"for\" students\\in transition \u00e9", "#null", null);

        // when
        final CohortChange change = cohorts.decode(DebeziumEvents.cohortKey(row.id()), DebeziumEvents.cohort(row));

        // then
        assertThat(change.id()).isEqualTo(136);
        assertThat(change.cohort()).isEqualTo(new Cohort(136, "Placeholder \"for\" students\\in transition \u00e9", "#null",
                LocalDate.of(2019, 1, 7), LocalDate.of(2029, 3, 1), false, 2));
        assertThat(change.cohort()).isEqualTo(row.toCohort());
    }

    @Test
    void shouldDecodeASoftDeletedCohortWithoutSlackWhenDeletedAtIsSet() {
        // given
        final CohortRow row = cohort(28, "Staff", null, "2020-05-01 08:00:00");

        // when
        final CohortChange change = cohorts.decode(DebeziumEvents.cohortKey(row.id()), DebeziumEvents.cohort(row));

        // then
        assertThat(change.cohort()).isEqualTo(new Cohort(28, "Staff", null, LocalDate.of(2019, 1, 7), LocalDate.of(2029, 3, 1), true, 2));
        assertThat(change.cohort()).isEqualTo(row.toCohort());
    }

    @Test
    void shouldNameTheCohortWhenTheKeyIsDecodedAsATombstone() {
        // when
        final CohortChange change = cohorts.decode(DebeziumEvents.cohortKey(28), null);

        // then
        assertThat(change).isEqualTo(new CohortChange(28, null));
    }
}
