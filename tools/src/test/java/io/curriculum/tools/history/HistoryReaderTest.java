package io.curriculum.tools.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryReaderTest {

    @TempDir
    Path dir;

    private final List<BadLine> badLines = new ArrayList<>();

    private Path file(final String name, final String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private List<HistoryRow> read(final Path file) {
        return HistoryReader.readAll(file, badLines::add);
    }

    private static HistoryRow row(final long id, final long line, final String localTime, final String path, final Long user,
                                  final Integer cohort, final String ip) {
        return new HistoryRow(id, line, LocalDateTime.parse(localTime), path, user, cohort, ip);
    }

    @Test
    void shouldReadExportLinesWithLineNumbersAsIdsWhenTheFileIsTheOriginalExport() throws IOException {
        // given
        final Path file = file("anonymized-curriculum-access.txt",
                "2018-01-26 09:55:03 / 1 8.0 97.105.19.61",
                "2018-01-26 09:56:02 java-ii 1 8.0 97.105.19.61",
                "2018-01-26 10:14:47 javascript-i/conditionals 3 NaN 71.137.146.71");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(
                row(1, 1, "2018-01-26T09:55:03", "/", 1L, 8, "97.105.19.61"),
                row(2, 2, "2018-01-26T09:56:02", "java-ii", 1L, 8, "97.105.19.61"),
                row(3, 3, "2018-01-26T10:14:47", "javascript-i/conditionals", 3L, null, "71.137.146.71"));
        assertThat(badLines).isEmpty();
    }

    @Test
    void shouldReadCrlfLinesNanAndWholeCohortsIpv6AndDuplicatesAndReplaceBytesThatAreNotUtf8() throws IOException {
        // given CRLF lines, cohorts nan and 8, an IPv6 address, a line twice, and a path with a Latin-1 byte
        final Path file = dir.resolve("crlf.txt");
        final byte[] latin1 = "2019-03-04 10:00:03 java-ii/caf\u00e9 3 8 10.0.0.3\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("2019-03-04 10:00:00 java-ii/arrays 1 nan 2001:db8::1\r\n"
                    + "2019-03-04 10:00:01 java-ii/loops 2 8 10.0.0.2\r\n"
                    + "2019-03-04 10:00:01 java-ii/loops 2 8 10.0.0.2\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(latin1);
        }

        // when
        final List<HistoryRow> rows = read(file);

        // then every line is a row: no carriage return left, the byte replaced
        assertThat(rows).containsExactly(
                row(1, 1, "2019-03-04T10:00:00", "java-ii/arrays", 1L, null, "2001:db8::1"),
                row(2, 2, "2019-03-04T10:00:01", "java-ii/loops", 2L, 8, "10.0.0.2"),
                row(3, 3, "2019-03-04T10:00:01", "java-ii/loops", 2L, 8, "10.0.0.2"),
                row(4, 4, "2019-03-04T10:00:03", "java-ii/caf\uFFFD", 3L, 8, "10.0.0.3"));
        assertThat(badLines).isEmpty();
    }

    @Test
    void shouldKeepTheOriginalBytesOfABadLineAndEscapeWhatIsNotPrintableUtf8() throws IOException {
        // given a bad line with a backslash, a control character, a Latin-1 byte and real UTF-8, with a CRLF end
        final Path file = dir.resolve("bad.txt");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("caf\u00e9 \u00fcber \\ \u0001 ".getBytes(StandardCharsets.UTF_8));
            out.write(0xe9);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }

        // when
        read(file);

        // then
        assertThat(badLines).singleElement().satisfies(bad -> {
            assertThat(bad.line()).isEqualTo(1);
            assertThat(bad.code()).isEqualTo("fields");
            assertThat(bad.escaped()).isEqualTo("caf\u00e9 \u00fcber \\\\ \\x01 \\xe9");
        });
    }

    @Test
    void shouldKeepTheSpacesOfThePathWhenAnExportPathContainsSpaces() throws IOException {
        // given
        final Path file = file("history.txt", "2018-01-26 09:55:03 java ii/my first lesson.html 11 22.0 97.105.19.61");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(row(1, 1, "2018-01-26T09:55:03", "java ii/my first lesson.html", 11L, 22, "97.105.19.61"));
    }

    @Test
    void shouldReadAnExportFileWhenThePathOfItsFirstLineContainsAComma() throws IOException {
        // given
        final Path file = file("history.txt",
                "2018-01-26 09:55:03 search?q=a,b 1 8.0 97.105.19.61",
                "2018-01-26 09:55:04 / 1 8.0 97.105.19.61");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).extracting(HistoryRow::id, HistoryRow::path).containsExactly(tuple(1L, "search?q=a,b"), tuple(2L, "/"));
        assertThat(badLines).isEmpty();
    }

    @Test
    void shouldMapColumnsByNameWhenTheCsvHeaderHasAnotherOrderAndAnId() throws IOException {
        // given
        final Path file = file("logs.csv",
                "\"ip\",\"path\",\"cohort_id\",\"user_id\",\"time\",\"date\",\"id\"",
                "\"97.105.19.61\",\"java-ii/arrays, lists\",\"8\",\"1\",\"09:55:03\",\"2018-01-26\",\"1001\"",
                "71.137.146.71,/,NULL,NULL,10:14:47,2018-01-27,1002");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(
                row(1001, 2, "2018-01-26T09:55:03", "java-ii/arrays, lists", 1L, 8, "97.105.19.61"),
                row(1002, 3, "2018-01-27T10:14:47", "/", null, null, "71.137.146.71"));
        assertThat(badLines).isEmpty();
    }

    @Test
    void shouldUseLineNumbersAsIdsWhenTheCsvHeaderHasNoId() throws IOException {
        // given
        final Path file = file("logs.csv",
                "path,date,time,user_id,cohort_id,ip",
                "/,2018-01-26,09:55:03,1,8.0,97.105.19.61",
                "\"a \"\"quoted\"\" path\",2018-01-26,09:55:04,,NaN,97.105.19.61");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(
                row(2, 2, "2018-01-26T09:55:03", "/", 1L, 8, "97.105.19.61"),
                row(3, 3, "2018-01-26T09:55:04", "a \"quoted\" path", null, null, "97.105.19.61"));
    }

    @Test
    void shouldReadTheTableColumnOrderWhenACsvHasSevenColumnsAndNoHeader() throws IOException {
        // given
        final Path file = file("logs.csv",
                "17,2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "\"18\",\"2018-01-26\",\"09:55:04\",\"java-ii\",NULL,NULL,\"97.105.19.62\"");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(
                row(17, 1, "2018-01-26T09:55:03", "/", 1L, 8, "97.105.19.61"),
                row(18, 2, "2018-01-26T09:55:04", "java-ii", null, null, "97.105.19.62"));
    }

    @Test
    void shouldUseLineNumbersAsIdsWhenACsvHasSixColumnsAndNoHeader() throws IOException {
        // given
        final Path file = file("logs.csv",
                "2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "2018-01-26,09:55:04,java-ii,2,9,97.105.19.62");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(
                row(1, 1, "2018-01-26T09:55:03", "/", 1L, 8, "97.105.19.61"),
                row(2, 2, "2018-01-26T09:55:04", "java-ii", 2L, 9, "97.105.19.62"));
    }

    @Test
    void shouldRejectTheFileWhenAHeaderlessCsvHasAnUnknownNumberOfColumns() throws IOException {
        // given
        final Path file = file("logs.csv", "2018-01-26,09:55:03,/,1,97.105.19.61");

        // when / then
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 1 has 5 comma-separated fields");
    }

    @Test
    void shouldDecompressByContentWhenAGzipFileHasNoGzName() throws IOException {
        // given
        final Path file = dir.resolve("history.txt");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("2018-01-26 09:55:03 / 1 8.0 97.105.19.61\n2018-01-26 09:55:04 java-ii 2 NaN 97.105.19.62\n"
                    .getBytes(StandardCharsets.UTF_8));
        }

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).containsExactly(
                row(1, 1, "2018-01-26T09:55:03", "/", 1L, 8, "97.105.19.61"),
                row(2, 2, "2018-01-26T09:55:04", "java-ii", 2L, null, "97.105.19.62"));
    }

    @Test
    void shouldSkipBlankLinesButCountThemWhenTheExportHasBlankLines() throws IOException {
        // given
        final Path file = file("history.txt",
                "2018-01-26 09:55:03 / 1 8.0 97.105.19.61",
                "",
                "   ",
                "2018-01-26 09:55:04 java-ii 2 8.0 97.105.19.62");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).extracting(HistoryRow::id, HistoryRow::path).containsExactly(tuple(1L, "/"), tuple(4L, "java-ii"));
        assertThat(badLines).isEmpty();
    }

    @Test
    void shouldReportEachBadExportLineWithItsNumberAndReasonAndKeepReadingWhenLinesAreBad() throws IOException {
        // given
        final Path file = file("history.txt",
                "2018-01-26 09:55:03 / 1 8.0 97.105.19.61",
                "2018-01-26 09:55:03 / 1 8.0",
                "2018-13-26 09:55:03 / 1 8.0 97.105.19.61",
                "2018-01-26 25:55:03 / 1 8.0 97.105.19.61",
                "2018-01-26 09:55:03 / abc 8.0 97.105.19.61",
                "2018-01-26 09:55:03 / 1 8.5 97.105.19.61",
                "2018-01-26 09:55:03 / 1 8.0 NaN",
                "2018-01-26 09:55:09 java-ii 2 8.0 97.105.19.62");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).extracting(HistoryRow::id).containsExactly(1L, 8L);
        assertThat(badLines).extracting(BadLine::source, BadLine::line, BadLine::reason).containsExactly(
                tuple(file.toString(), 2L, "expected 6 space-separated fields (date time path user_id cohort_id ip), found 5"),
                tuple(file.toString(), 3L, "date and time must read yyyy-MM-dd HH:mm:ss: '2018-13-26 09:55:03'"),
                tuple(file.toString(), 4L, "date and time must read yyyy-MM-dd HH:mm:ss: '2018-01-26 25:55:03'"),
                tuple(file.toString(), 5L, "user_id is not a whole number: 'abc'"),
                tuple(file.toString(), 6L, "cohort_id is not a whole number (8, 8.0) or NaN: '8.5'"),
                tuple(file.toString(), 7L, "the ip is empty"));
        assertThat(badLines.get(0).text()).isEqualTo("2018-01-26 09:55:03 / 1 8.0");
    }

    @Test
    void shouldReportEachBadCsvLineWithItsNumberAndReasonAndKeepReadingWhenLinesAreBad() throws IOException {
        // given
        final Path file = file("logs.csv",
                "id,date,time,path,user_id,cohort_id,ip",
                "1,2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "2,2018-01-26,09:55:03,/",
                "x,2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "4,2018-01-26,09:55:03,/,1,8,",
                "5,2018-01-26,09:55:03,/,1,8,NULL",
                "6,2018-01-26,09:55:03,,1,8,97.105.19.61",
                "7,2018-01-26,09:55:09,java-ii,2,8,97.105.19.62");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).extracting(HistoryRow::id, HistoryRow::line).containsExactly(tuple(1L, 2L), tuple(7L, 8L));
        assertThat(badLines).extracting(BadLine::line, BadLine::reason).containsExactly(
                tuple(3L, "expected 7 comma-separated fields, found 4"),
                tuple(4L, "id is not a whole number: 'x'"),
                tuple(5L, "the ip is empty"),
                tuple(6L, "the ip is empty"),
                tuple(7L, "the path is empty"));
    }

    @Test
    void shouldNumberBadLinesByTheirLineInTheFileWhenACsvHasBlankLines() throws IOException {
        // given
        final Path file = file("logs.csv",
                "date,time,path,user_id,cohort_id,ip",
                "2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "",
                "2018-01-26,09:55:04,/,oops,8,97.105.19.61",
                "2018-01-26,09:55:05,/,1,8,97.105.19.61");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).extracting(HistoryRow::id).containsExactly(2L, 5L);
        assertThat(badLines).extracting(BadLine::line, BadLine::reason)
                .containsExactly(tuple(4L, "user_id is not a whole number: 'oops'"));
    }

    @Test
    void shouldFailNamingTheFileWhenTheFileDoesNotExist() {
        // given
        final Path missing = dir.resolve("nowhere.txt");

        // when / then
        assertThatThrownBy(() -> read(missing))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessage("history file " + missing + " does not exist");
    }

    @Test
    void shouldFailNamingTheFileWhenTheFileIsADirectory() {
        // when / then
        assertThatThrownBy(() -> read(dir))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessage("history file " + dir + " is a directory");
    }

    @Test
    void shouldFailNamingTheMissingColumnWhenTheCsvHeaderLacksOne() throws IOException {
        // given
        final Path file = file("logs.csv",
                "id,date,time,path,user_id,ip",
                "1,2018-01-26,09:55:03,/,1,97.105.19.61");

        // when / then
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no column 'cohort_id'");
    }

    @Test
    void shouldReportAnUnterminatedQuoteAsOneBadLineAndStopReadingWhenACsvQuoteIsNeverClosed() throws IOException {
        // given
        final Path file = file("logs.csv",
                "id,date,time,path,user_id,cohort_id,ip",
                "1,2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "2,2018-01-26,09:55:04,\"java-ii,2,8,97.105.19.62",
                "3,2018-01-26,09:55:05,/,1,8,97.105.19.61");

        // when
        final List<HistoryRow> rows = read(file);

        // then
        assertThat(rows).extracting(HistoryRow::id).containsExactly(1L);
        assertThat(badLines).extracting(BadLine::line, BadLine::reason)
                .containsExactly(tuple(3L, "unterminated quote from line 3 to the end of the file"));
    }

    @Test
    void shouldFailNamingTheFileWhenTheGzipIsTruncated() throws IOException {
        // given a gzip file cut short
        final Path whole = dir.resolve("whole.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
            for (int i = 0; i < 50_000; i++) {
                out.write(("2018-01-26 09:55:03 lesson-" + i + " 1 8.0 97.105.19.61\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        final byte[] bytes = Files.readAllBytes(whole);
        final Path file = Files.write(dir.resolve("history.txt.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        // when / then: the rows before the cut were read
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith("history file " + file + ": the gzip data is corrupt or truncated after line ")
                .hasMessageNotContaining("after line 0 ");
    }

    @Test
    void shouldFailNamingTheFileWhenTheGzipIsCorrupt() throws IOException {
        // given a gzip header followed by garbage
        final Path file = Files.write(dir.resolve("history.txt.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8});

        // when / then
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith("history file " + file + ": the gzip data is corrupt or truncated");
    }

    @Test
    void shouldCountTheRowsAndBadLinesButNotTheHeaderOrBlankLinesWhenCountingForProgress() throws IOException {
        // given a CSV with a header, a blank line and a bad line, and no newline at its end
        final Path file = Files.writeString(dir.resolve("logs.csv"), String.join("\n",
                "date,time,path,user_id,cohort_id,ip",
                "2018-01-26,09:55:03,/,1,8,97.105.19.61",
                "",
                "2018-01-26,09:55:04,/,oops,8,97.105.19.61",
                "2018-01-26,09:55:05,/,1,8,97.105.19.61"));

        // when
        final long counted = HistoryReader.countRowLines(file);
        final List<HistoryRow> rows = read(file);

        // then the count less the bad lines is the rows read
        assertThat(counted).isEqualTo(3);
        assertThat(counted - badLines.size()).isEqualTo(rows.size());
    }

    @Test
    void shouldCountEveryNonBlankLineWhenCountingAnExportForProgress() throws IOException {
        // given
        final Path file = file("history.txt",
                "2018-01-26 09:55:03 / 1 8.0 97.105.19.61",
                "   ",
                "2018-01-26 09:55:04 java-ii 2 8.0 97.105.19.62");

        // when / then
        assertThat(HistoryReader.countRowLines(file)).isEqualTo(2);
    }
}
