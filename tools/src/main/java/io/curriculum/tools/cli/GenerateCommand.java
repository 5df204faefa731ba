package io.curriculum.tools.cli;

import io.curriculum.app.cli.UsageException;
import io.curriculum.tools.generate.GenerationResult;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: a synthetic history in the real export format with labelled anomalies, for the demo,
 * integration tests and benchmarks. Settings it rejects become a {@link UsageException} (exit 2).
 */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
                "Writes a realistic synthetic access history with labelled anomalies in the real export format.",
                "",
                "One request per line, 'date time path user_id cohort_id ip', campus wall-clock time (America/Chicago), "
                        + "sorted by time, gzipped when the name ends in .gz. Readers are the real cohorts' students (class days "
                        + "behind shared campus NAT addresses, evenings and weekends at home), alumni, staff and a few users "
                        + "without a cohort, reading in human sessions. The same seed writes the same bytes.",
                "",
                "Injected anomalies, one JSON line each in the labels file:",
                "  expect alert: burst-scraper (rule burst, scope ip), nat-scraper (burst, client), slow-crawler (crawl, "
                        + "client), lesson-spike (band-spike), lesson-drop (band-drop);",
                "  expect none (hard negatives): nat-classroom, fast-human, page-with-assets, staff-review, heavy-reader, "
                        + "shared-home; campus-holiday (a holiday of the default calendar at 5-35% of the usual traffic: no band alert);",
                "  label only: inactive-student."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "history file to write (.gz to compress)")
    private Path out;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels file to write (default: <out>.labels.jsonl)")
    private Path labels;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "approximate number of requests, within 2%% (default: ${DEFAULT-VALUE})")
    private long rows;

    @Option(names = "--days", paramLabel = "D", defaultValue = "120", description = "campus days to span (default: ${DEFAULT-VALUE})")
    private int days;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2019-01-07",
            description = "first day, yyyy-mm-dd; the span must overlap a cohort (default: ${DEFAULT-VALUE})")
    private LocalDate start;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--cohorts", paramLabel = "FILE",
            description = "cohorts CSV in the real table's format (default: the bundled real table)")
    private Path cohorts;

    @Override
    public Integer call() {
        final List<CohortRow> table = cohorts == null ? CohortsCsv.bundled() : CohortsCsv.read(cohorts);
        final GeneratorSettings settings;
        try {
            settings = new GeneratorSettings(seed, rows, start, days, table, ZoneId.of("America/Chicago"));
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        final Path labelsFile = labels != null ? labels : out.resolveSibling(out.getFileName() + ".labels.jsonl");
        final long began = System.nanoTime();
        final GenerationResult result;
        try {
            result = new HistoryGenerator(settings).write(out, labelsFile);
        } catch (final FileSystemException e) {
            throw UsageException.cannotWrite(null, e.getFile() != null ? Path.of(e.getFile()) : out, e);
        } catch (final IOException e) {
            throw new UsageException("cannot write " + out + " or " + labelsFile + ": " + e.getMessage());
        }
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
        spec.commandLine().getOut().println(summary(result, labelsFile, elapsed));
        return 0;
    }

    private String summary(final GenerationResult result, final Path labelsFile, final Duration elapsed) {
        final String kinds = Reports.anomalyCounts(result.countsByKind());
        final double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        return String.format("generated %d rows (%d in %d anomalies: %s) to %s, labels to %s in %.2f s (%.0f rows/s)",
                result.rows(), result.anomalyRows(), result.labels().size(), kinds, out, labelsFile,
                seconds, result.rows() / seconds);
    }
}
