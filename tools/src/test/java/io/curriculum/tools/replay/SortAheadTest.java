package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.tools.history.BadLine;
import io.curriculum.tools.history.EventTimeSort;
import io.curriculum.tools.history.HistoryFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortAheadTest {

    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");

    @TempDir
    Path dir;

    @Test
    void shouldSortTheRowsAndHandOverEveryBadLineInFileOrderWhetherFoundBeforeOrAfterTheRowsAreAskedFor() throws Exception {
        // given rows out of order with two bad lines, one early and one late in the file
        final Path history = dir.resolve("history.txt");
        Files.write(history, List.of(
                "2019-03-04 09:00:05 java-ii/arrays 101 29 10.0.0.1",
                "not a row",
                "2019-03-04 09:00:01 java-ii/loops 102 29 10.0.0.2",
                "2019-03-04 09:00:03 java-ii/maps 103 29 10.0.0.3",
                "2019-03-04 25:00:00 java-ii/bad-hour 104 29 10.0.0.4"));
        final Path sortDir = dir.resolve("sort");

        // when the sort starts at once and its rows are asked for later
        final List<BadLine> badLines = new ArrayList<>();
        final List<String> paths = new ArrayList<>();
        try (SortAhead sortAhead = SortAhead.start(history, CAMPUS, sortDir)) {
            final SortAhead.Sorted sorted = sortAhead.rows(badLines::add);
            while (sorted.rows().hasNext()) {
                final EventTimeSort.Timed row = sorted.rows().next();
                paths.add(row.row().path());
            }
            assertThat(sorted.reader().linesRead()).isEqualTo(5);
        }

        // then the rows come in event time and the bad lines in file order, each once
        assertThat(paths).containsExactly("java-ii/loops", "java-ii/maps", "java-ii/arrays");
        assertThat(badLines).extracting(BadLine::line).containsExactly(2L, 5L);
        try (Stream<Path> left = Files.list(sortDir)) {
            assertThat(left).as("the sort's temporary files, removed on close").isEmpty();
        }
    }

    @Test
    void shouldRaiseWhatTheSortMetWhenTheRowsAreAskedFor() {
        // given a history that does not exist
        final Path missing = dir.resolve("missing.txt");

        // when the sort runs on it, then the error comes from rows(), and close() after it does not throw
        try (SortAhead sortAhead = SortAhead.start(missing, CAMPUS, dir.resolve("sort"))) {
            assertThatThrownBy(() -> sortAhead.rows(line -> { }))
                    .isInstanceOf(HistoryFormatException.class)
                    .hasMessageContaining("missing.txt does not exist");
        }
    }
}
