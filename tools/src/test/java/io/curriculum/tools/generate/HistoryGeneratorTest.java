package io.curriculum.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generator's contract on small files: determinism, size, settings validation. */
class HistoryGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteIdenticalBytesWhenSeedIsTheSame() throws IOException {
        // given
        final GeneratorSettings settings = settings(7, 20_000, 30);

        // when
        new HistoryGenerator(settings).write(dir.resolve("a.txt"), dir.resolve("a.labels.jsonl"));
        new HistoryGenerator(settings).write(dir.resolve("b.txt"), dir.resolve("b.labels.jsonl"));

        // then
        assertThat(Files.readAllBytes(dir.resolve("a.txt"))).isEqualTo(Files.readAllBytes(dir.resolve("b.txt")));
        assertThat(Files.readAllBytes(dir.resolve("a.labels.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("b.labels.jsonl")));
    }

    @Test
    void shouldWriteDifferentHistoriesWhenSeedsDiffer() throws IOException {
        // given
        final StringWriter one = new StringWriter();
        final StringWriter other = new StringWriter();

        // when
        new HistoryGenerator(settings(1, 5_000, 20)).write(one, new StringWriter());
        new HistoryGenerator(settings(2, 5_000, 20)).write(other, new StringWriter());

        // then
        assertThat(one.toString()).isNotEqualTo(other.toString());
    }

    @ParameterizedTest
    @CsvSource({"1000, 1", "1000, 60", "25000, 120", "60000, 7"})
    void shouldWriteRowsWithinTwoPercentWhenRowsAreRequested(final long rows, final int days) throws IOException {
        // given
        final Path history = dir.resolve("h.txt");

        // when
        final GenerationResult result = new HistoryGenerator(settings(3, rows, days)).write(history, dir.resolve("h.labels.jsonl"));

        // then
        final long lines;
        try (Stream<String> stream = Files.lines(history)) {
            lines = stream.count();
        }
        assertThat(lines).isEqualTo(result.rows()).isCloseTo(rows, Percentage.withPercentage(2));
    }

    @Test
    void shouldGzipWhenTheNameEndsInGz() throws IOException {
        // given
        final Path history = dir.resolve("h.txt.gz");

        // when
        new HistoryGenerator(settings(1, 2_000, 3)).write(history, dir.resolve("h.labels.jsonl"));

        // then
        final byte[] bytes = Files.readAllBytes(history);
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
        assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
    }

    @Test
    void shouldReadBackTheLabelsItWroteWhenLabelsAreRead() throws IOException {
        // given
        final Path labels = dir.resolve("h.labels.jsonl");

        // when
        final GenerationResult result = new HistoryGenerator(settings(5, 30_000, 60)).write(dir.resolve("h.txt"), labels);

        // then
        assertThat(Labels.read(labels)).isEqualTo(result.labels()).isNotEmpty();
        assertThat(result.labels()).extracting(Label::id).doesNotHaveDuplicates();
        assertThat(result.labels()).allSatisfy(l -> assertThat(l.from()).isBeforeOrEqualTo(l.to()));
    }

    @Test
    void shouldRejectSettingsWhenOutOfRange() {
        assertThatThrownBy(() -> settings(1, 999, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows");
        assertThatThrownBy(() -> settings(1, 10_000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("days");
        assertThatThrownBy(() -> settings(1, 10_000, 3651))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("days");
        assertThatThrownBy(() -> new GeneratorSettings(1, 10_000, LocalDate.of(2030, 1, 1), 30,
                CohortsCsv.bundled().stream().filter(c -> c.endDate().getYear() < 2029).toList(), ZoneId.of("America/Chicago")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no cohort is active");
    }

    @Test
    void shouldKeepLabelTimesInsideTheSpanWhenGenerated() throws IOException {
        // given
        final GeneratorSettings settings = settings(9, 50_000, 90);

        // when
        final GenerationResult result = new HistoryGenerator(settings).write(new StringWriter(), new StringWriter());

        // then
        final Instant spanStart = settings.start().atStartOfDay(settings.zone()).toInstant();
        final Instant spanEnd = settings.end().plusDays(1).atStartOfDay(settings.zone()).toInstant();
        assertThat(result.labels()).allSatisfy(l -> {
            assertThat(l.from()).isAfterOrEqualTo(spanStart);
            assertThat(l.to()).isBeforeOrEqualTo(spanEnd);
        });
        assertThat(result.labels()).filteredOn(l -> l.kind() == AnomalyKind.BURST_SCRAPER)
                .allSatisfy(l -> assertThat(Duration.between(l.from(), l.to())).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(20)));
    }

    private static GeneratorSettings settings(final long seed, final long rows, final int days) {
        return new GeneratorSettings(seed, rows, LocalDate.of(2019, 1, 7), days, CohortsCsv.bundled(), ZoneId.of("America/Chicago"));
    }
}
