package io.curriculum.tools.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTimeSortTest {

    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldGiveTheSameRowsInTheSameOrderForAnyFileOrderInMemoryOrMergedFromDisk(final long seed) throws IOException {
        // given 2,000 rows with many equal times, written in time order and shuffled
        final Random random = new Random(seed);
        final List<String> lines = new ArrayList<>();
        LocalDateTime time = LocalDateTime.parse("2019-03-04T09:00:00");
        for (int i = 0; i < 2000; i++) {
            time = time.plusSeconds(random.nextInt(3));
            lines.add(LOCAL.format(time) + " java-ii/page-" + random.nextInt(5) + " " + (100 + random.nextInt(4)) + " 29 10.0.0." + random.nextInt(4));
        }
        final Path sorted = dir.resolve("sorted.txt");
        Files.write(sorted, lines);
        Collections.shuffle(lines, random);
        final Path shuffled = dir.resolve("shuffled.txt");
        Files.write(shuffled, lines);

        // when both are sorted, in memory and in chunks of 97 rows merged from disk
        final List<String> expected = sort(sorted, 1_000_000);
        final List<String> fromDisk = sort(shuffled, 97);

        // then the rows come out in event-time order, the same for both, numbered in that order
        assertThat(fromDisk).isEqualTo(expected).hasSize(2000);
        assertThat(sort(shuffled, 1_000_000)).isEqualTo(expected);
        assertThat(expected.get(0)).startsWith("1 ");
        assertThat(expected.get(1999)).startsWith("2000 ");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sorted.txt", "shuffled.txt");
        }
    }

    @Test
    void shouldKeepTheFilesOwnIdsAndOrderRowsAcrossADaylightSavingChangeByTheirInstant() throws IOException {
        // given a CSV with ids, two rows in the repeated hour of the fall-back night (01:30 CDT, then 01:10 CST)
        final Path csv = dir.resolve("ids.csv");
        Files.writeString(csv, String.join("\n",
                "id,date,time,path,user_id,cohort_id,ip",
                "7,2019-11-03,01:10:00,java-ii/b,1,29,10.0.0.1",
                "5,2019-11-03,00:50:00,java-ii/a,1,29,10.0.0.1",
                ""));

        // when sorted, then in local-time order, ids kept
        assertThat(sort(csv, 10)).extracting(s -> s.split(" ")[0]).containsExactly("5", "7");
    }

    /** Each sorted row as "id line time path". */
    private List<String> sort(final Path file, final int chunkRows) {
        final List<String> rows = new ArrayList<>();
        try (HistoryReader reader = HistoryReader.open(file, bad -> { throw new AssertionError(bad.toString()); });
             EventTimeSort sort = EventTimeSort.of(reader, CAMPUS, dir, chunkRows)) {
            long previous = Long.MIN_VALUE;
            while (sort.hasNext()) {
                final EventTimeSort.Timed timed = sort.next();
                assertThat(timed.time()).isGreaterThanOrEqualTo(previous);
                previous = timed.time();
                final HistoryRow row = timed.row();
                rows.add(row.id() + " " + row.localTime() + " " + row.path() + " " + row.userId() + " " + row.ip());
            }
        }
        return rows;
    }
}
