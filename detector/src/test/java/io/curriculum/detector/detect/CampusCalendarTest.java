package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampusCalendarTest {

    @Test
    void shouldListTheFederalHolidaysOf2019AsObserved() {
        assertThat(CampusCalendar.federalHolidays(2019)).containsExactly(
                LocalDate.parse("2019-01-01"), LocalDate.parse("2019-01-21"), LocalDate.parse("2019-02-18"), LocalDate.parse("2019-05-27"),
                LocalDate.parse("2019-07-04"), LocalDate.parse("2019-09-02"), LocalDate.parse("2019-10-14"), LocalDate.parse("2019-11-11"),
                LocalDate.parse("2019-11-28"), LocalDate.parse("2019-12-25"));
    }

    @Test
    void shouldObserveAWeekendHolidayOnTheNearestWeekdayAndJuneteenthFrom2021() {
        // July 4th 2020 was a Saturday, observed Friday the 3rd; Juneteenth 2021 a Saturday, observed Friday the 18th
        final CampusCalendar calendar = CampusCalendar.of(List.of("us-federal"), Set.of());
        assertThat(calendar.isNonClassDay(LocalDate.parse("2020-07-03"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2021-06-18"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2020-06-19"))).isFalse();
        // New Year's Day 2022 was a Saturday, observed Friday December 31st 2021
        assertThat(calendar.isNonClassDay(LocalDate.parse("2021-12-31"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2021-12-24"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2021-12-27"))).isFalse();
    }

    @Test
    void shouldKeepTheWinterBreakFromDecember24ToJanuary1() {
        final CampusCalendar calendar = CampusCalendar.of(List.of("winter-break"), Set.of());
        assertThat(calendar.isNonClassDay(LocalDate.parse("2019-12-23"))).isFalse();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2019-12-24"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2019-12-30"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2020-01-01"))).isTrue();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2020-01-02"))).isFalse();
        assertThat(calendar.isNonClassDay(LocalDate.parse("2019-11-28"))).isFalse();
    }

    @Test
    void shouldReadDaysAndRangesFromAFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("calendar.txt");
        Files.writeString(file, "# spring break\n2024-03-11..2024-03-13 spring break\n\n2024-04-01 staff day\n");
        assertThat(CampusCalendar.readDays(file)).containsExactly(LocalDate.parse("2024-03-11"), LocalDate.parse("2024-03-12"),
                LocalDate.parse("2024-03-13"), LocalDate.parse("2024-04-01"));
    }

    @Test
    void shouldRefuseABadLineOfACalendarFileNamingItsLine(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("calendar.txt");
        Files.writeString(file, "2024-03-11\n2024-13-01\n");
        assertThatThrownBy(() -> CampusCalendar.readDays(file)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2")
                .hasMessageContaining("2024-13-01");
        Files.writeString(file, "2024-03-15..2024-03-11\n");
        assertThatThrownBy(() -> CampusCalendar.readDays(file)).hasMessageContaining("ends before it starts");
    }

    @Test
    void shouldRefuseAnUnknownHolidaySet() {
        assertThatThrownBy(() -> CampusCalendar.of(List.of("us-federal", "easter"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("easter").hasMessageContaining("us-federal, winter-break");
        assertThat(CampusCalendar.of(List.of("none"), Set.of()).isNonClassDay(LocalDate.parse("2019-12-25"))).isFalse();
    }
}
