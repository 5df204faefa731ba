package io.curriculum.tools.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.detector.model.Cohort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CohortsCsvTest {

    private static final String HEADER = "id,name,slack,start_date,end_date,created_at,updated_at,deleted_at,program_id";
    private static final String GOOD = "1,Arches,#arches,2014-02-04,2014-04-22,\"2016-06-14 19:52:26\",\"2016-06-14 19:52:26\",NULL,1";

    @TempDir
    Path dir;

    private Path file(final String... lines) throws IOException {
        return Files.writeString(dir.resolve("cohorts.csv"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static CohortRow byId(final List<CohortRow> rows, final int id) {
        return rows.stream().filter(r -> r.id() == id).findFirst().orElseThrow();
    }

    @Test
    void shouldReturnTheRealTableWhenReadingTheBundledCohorts() {
        // when
        final List<CohortRow> rows = CohortsCsv.bundled();

        // then
        assertThat(rows).hasSize(53);
        assertThat(rows).extracting(CohortRow::id).doesNotHaveDuplicates();
        final CohortRow staff = byId(rows, 28);
        assertThat(staff.name()).isEqualTo("Staff");
        assertThat(staff.programId()).isEqualTo(2);
        assertThat(staff.toCohort().isStaff()).isTrue();
        final CohortRow placeholder = byId(rows, 136);
        assertThat(placeholder.name()).isEqualTo("Placeholder for students in transition");
        assertThat(placeholder.endDate()).isEqualTo(LocalDate.of(2029, 3, 1));
        assertThat(placeholder.createdAt()).isEqualTo("2021-03-03 21:50:49");
    }

    @Test
    void shouldMapANullDeletedAtToAKnownCohortWhenTheRowIsNotDeleted() {
        // given
        final CohortRow arches = byId(CohortsCsv.bundled(), 1);

        // when
        final Cohort cohort = arches.toCohort();

        // then
        assertThat(arches.deletedAt()).isNull();
        assertThat(cohort).isEqualTo(new Cohort(1, "Arches", "#arches", LocalDate.of(2014, 2, 4), LocalDate.of(2014, 4, 22), false, 1));
    }

    @Test
    void shouldReadColumnsByNameAndMarkSoftDeletedWhenAFileHasAnotherOrderAndADeletedAt() throws IOException {
        // given
        final Path file = file(
                "program_id,deleted_at,updated_at,created_at,end_date,start_date,slack,name,id",
                "3,\"2020-01-02 03:04:05\",\"2019-01-01 00:00:00\",\"2019-01-01 00:00:00\",2019-06-30,2019-01-07,NULL,Zion,200");

        // when
        final List<CohortRow> rows = CohortsCsv.read(file);

        // then
        assertThat(rows).containsExactly(new CohortRow(200, "Zion", null, LocalDate.of(2019, 1, 7), LocalDate.of(2019, 6, 30),
                "2019-01-01 00:00:00", "2019-01-01 00:00:00", "2020-01-02 03:04:05", 3));
        assertThat(rows.get(0).toCohort().softDeleted()).isTrue();
    }

    @Test
    void shouldTreatAnEmptyDeletedAtAsNullWhenTheExportWritesNullsAsEmpty() throws IOException {
        // given
        final Path file = file(HEADER, "7,Glacier,#glacier,2015-01-01,2015-04-01,\"2016-06-14 19:52:26\",\"2016-06-14 19:52:26\",,1");

        // when
        final CohortRow row = CohortsCsv.read(file).get(0);

        // then
        assertThat(row.deletedAt()).isNull();
        assertThat(row.toCohort().softDeleted()).isFalse();
    }

    @Test
    void shouldFailNamingFileAndLineWhenADateIsBad() throws IOException {
        // given
        final Path file = file(HEADER, GOOD, "2,Badlands,#badlands,2014-06-31,2014-08-22,NULL,NULL,NULL,1");

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith(file + " line 3: ")
                .hasMessageContaining("2014-06-31");
    }

    @Test
    void shouldNameLineTwoWhenTheFirstRowIsBad() throws IOException {
        // given
        final Path file = file(HEADER, "1,Arches,#arches,2014-02-04,2014-04-22,NULL,NULL,NULL,one", GOOD);

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith(file + " line 2: ")
                .hasMessageContaining("one");
    }

    @Test
    void shouldNameTheLineOfTheBadRowWhenABlankLineComesBeforeIt() throws IOException {
        // given
        final Path file = file(HEADER, GOOD, "", "2,Badlands,#badlands,2014-06-31,2014-08-22,NULL,NULL,NULL,1");

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith(file + " line 4: ")
                .hasMessageContaining("2014-06-31");
    }

    @Test
    void shouldNameTheLineAndTheEmptyColumnWhenARowIsShorterThanTheHeader() throws IOException {
        // given
        final Path file = file(HEADER, GOOD, "2,Badlands,#badlands,2014-06-04,2014-08-22");

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessage(file + " line 3: column 'program_id' is empty");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "created_at | 2016-06-14T19:52:26 | \"2016-06-14T19:52:26\",\"2016-06-14 19:52:26\",NULL",
            "updated_at | 2016-06-14          | \"2016-06-14 19:52:26\",\"2016-06-14\",NULL",
            "deleted_at | yesterday           | \"2016-06-14 19:52:26\",\"2016-06-14 19:52:26\",yesterday"})
    void shouldFailNamingFileLineAndColumnWhenADatetimeIsMalformed(final String column, final String value, final String datetimes)
            throws IOException {
        // given
        final Path file = file(HEADER, GOOD, "2,Badlands,#badlands,2014-06-04,2014-08-22," + datetimes + ",1");

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith(file + " line 3: ")
                .hasMessageContaining("column '" + column + "'")
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining("yyyy-MM-dd HH:mm:ss");
    }

    @Test
    void shouldFailNamingTheFileWhenTheFileDoesNotExist() {
        // given
        final Path missing = dir.resolve("nowhere.csv");

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(missing))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessage("cohorts file " + missing + " does not exist");
    }

    @Test
    void shouldFailNamingTheColumnWhenARequiredColumnIsMissing() throws IOException {
        // given
        final Path file = file("id,name,slack,start_date,created_at,updated_at,deleted_at,program_id",
                "1,Arches,#arches,2014-02-04,\"2016-06-14 19:52:26\",\"2016-06-14 19:52:26\",NULL,1");

        // when / then
        assertThatThrownBy(() -> CohortsCsv.read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no column 'end_date'");
    }
}
