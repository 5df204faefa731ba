package io.curriculum.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.views.Answers;
import io.curriculum.detector.views.OveruseCriteria;
import io.curriculum.tools.generate.AnomalyKind;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.generate.Label;
import io.curriculum.tools.generate.Labels;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.local.EmbeddedKafka;
import io.curriculum.tools.replay.ProgressListener;
import io.curriculum.tools.replay.Replay;
import io.curriculum.tools.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The analysts' top, least, over-use and inactive answers of the API and the report checked against {@link BatchAnswers}, a
 * plain count straight over the generated history file, on histories of different seeds, sizes and spans: the same lessons
 * and hits in the same order, the same over-used (cohort, lesson) pairs with the same evidence, the same inactive students.
 * The injected over-reading cohort and its lesson rank first, and no cohort's own page is among the over-used.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AnswersCrossCheckIT {

    private static final int TOP = 10;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}, {1} rows over {3} days from {2}")
    @CsvSource({"7, 40000, 2019-01-07, 63", "23, 60000, 2019-09-02, 90"})
    void shouldGiveTheBatchCountsAnswersInTheApiAndTheReport(final long seed, final long rows, final String start, final int days)
            throws Exception {
        // given a generated history with an injected over-reading cohort, inactive students and the site's non-lesson pages
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        final Path history = dir.resolve("history.txt");
        final Path labelFile = dir.resolve("labels.jsonl");
        new HistoryGenerator(new GeneratorSettings(seed, rows, LocalDate.parse(start), days, cohorts, ZoneId.of("America/Chicago")))
                .write(history, labelFile);
        final Label overread = Labels.read(labelFile).stream().filter(l -> l.kind() == AnomalyKind.LESSON_OVERUSE).findFirst().orElseThrow();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            final AtomicReference<AnalystApi> api = new AtomicReference<>();
            final AtomicReference<DetectorRuntime> detector = new AtomicReference<>();
            try (Replay replay = new Replay(DetectorConfig.from(client, Map.of()), client, "cross-check", dir.resolve("state"))) {
                // when it is replayed, and its answers asked of the API and written as the report
                replay.run(history, cohorts, 0, null, new ProgressListener() {
                    @Override
                    public void started(final DetectorRuntime runtime) {
                        detector.set(runtime);
                        api.set(AnalystApi.bind("127.0.0.1", 0).serve(runtime.streams(), replay.config(), client));
                    }
                });
                final String url = "http://127.0.0.1:" + api.get().port() + "/api/";
                final Path report = dir.resolve("report.html");
                HtmlReport.write(report, "cross-check", new Answers(new ViewGatherer(detector.get().streams(), null).gather()), List.of(),
                        replay.config().views().newLessonAge(), Map.of());
                final String html = Files.readString(report);
                final BatchAnswers batch = new BatchAnswers(history, cohorts, replay.config());

                // then the history has what the answers must tell apart from lessons
                assertThat(batch.landingPages()).isNotEmpty();
                assertThat(batch.brokenLinks()).isPositive();

                // top and least lessons per program: the batch's, in the API and in the report
                for (final int program : new int[] {1, 2, 3, 4}) {
                    final List<BatchAnswers.Lesson> top = batch.top(program, TOP);
                    final List<BatchAnswers.Lesson> least = batch.least(program, TOP);
                    assertThat(lessons(Http.get(url + "lessons/top?program=" + program + "&limit=" + TOP))).as("top, program " + program)
                            .isEqualTo(top);
                    assertThat(lessons(Http.get(url + "lessons/least?program=" + program + "&limit=" + TOP))).as("least, program " + program)
                            .isEqualTo(least);
                    if (!top.isEmpty()) {
                        assertThat(reportLessons(section(html, 1), Program.name(program))).as("report top, program " + program).isEqualTo(top);
                        assertThat(top).noneMatch(l -> batch.landingPages().contains(l.lesson()) || l.lesson().startsWith("cohorts/"));
                    }
                    if (!least.isEmpty()) {
                        assertThat(reportLessons(section(html, 5), Program.name(program))).as("report least, program " + program).isEqualTo(least);
                    }
                }

                // over-use: the batch's ranking, the injected cohort and lesson first, no cohort's own page among them
                final List<BatchAnswers.Overuse> expected = batch.overuse(OveruseCriteria.DEFAULT).stream().limit(TOP).toList();
                assertThat(expected).isNotEmpty();
                assertThat(expected.get(0).cohortId()).isEqualTo(overread.cohortId());
                assertThat(expected.get(0).lesson()).isEqualTo(overread.lesson());
                final JsonNode answered = Http.get(url + "cohorts/overused?limit=" + TOP).path("overused");
                assertThat(answered).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    final BatchAnswers.Overuse e = expected.get(i);
                    final JsonNode row = answered.get(i);
                    assertThat(row.path("cohortId").asInt()).as("rank " + (i + 1)).isEqualTo(e.cohortId());
                    assertThat(row.path("lesson").asText()).as("rank " + (i + 1)).isEqualTo(e.lesson()).doesNotStartWith("cohorts/");
                    assertThat(row.path("hits").asLong()).isEqualTo(e.hits());
                    assertThat(row.path("expected").asDouble()).isCloseTo(e.expected(), within(1e-9 * Math.max(1, e.expected())));
                    assertThat(row.path("log10PValue").asDouble()).isCloseTo(e.log10P(), within(1e-6 * Math.max(1, -e.log10P())));
                }
                final Matcher overuseRows = Pattern.compile("<tr><td>([^<]*)</td><td>[^<]*</td><td>([^<]*)</td><td class=n>(\\d+)</td>")
                        .matcher(section(html, 2));
                final List<String> reported = new ArrayList<>();
                while (overuseRows.find()) {
                    reported.add(overuseRows.group(1) + "|" + overuseRows.group(2) + "|" + overuseRows.group(3));
                }
                final List<String> expectedRows = expected.stream().map(e -> cohortName(cohorts, e.cohortId()) + "|" + e.lesson() + "|" + e.hits()).toList();
                assertThat(reported.subList(0, Math.min(reported.size(), expectedRows.size()))).isEqualTo(expectedRows);

                // inactive students: the batch's, in the API and in the report
                final Set<Long> inactive = batch.inactive();
                assertThat(inactive).isNotEmpty();
                final Set<Long> listed = new TreeSet<>();
                Http.get(url + "students/inactive?limit=1000").forEach(row -> listed.add(row.path("userId").asLong()));
                assertThat(listed).isEqualTo(inactive);
                final Set<Long> inReport = new TreeSet<>();
                final Matcher users = Pattern.compile("<tr><td>(\\d+)</td>").matcher(section(html, 3));
                while (users.find()) {
                    inReport.add(Long.parseLong(users.group(1)));
                }
                assertThat(inReport).isEqualTo(inactive);
                assertThat(section(html, 3)).contains(inactive.size() + (inactive.size() == 1 ? " student" : " students") + " judged inactive");
            } finally {
                if (api.get() != null) {
                    api.get().close();
                }
            }
        }
    }

    private static List<BatchAnswers.Lesson> lessons(final JsonNode rows) {
        final List<BatchAnswers.Lesson> lessons = new ArrayList<>();
        rows.forEach(row -> lessons.add(new BatchAnswers.Lesson(row.path("lesson").asText(), row.path("hits").asLong())));
        return lessons;
    }

    /** The report's question {@code n}: from its heading to the next. */
    private static String section(final String html, final int n) {
        final int from = html.indexOf("<h2>" + n + ". ");
        final int to = html.indexOf("<h2>" + (n + 1) + ". ");
        return html.substring(from, to < 0 ? html.length() : to);
    }

    /** The lesson table under a program's heading in a section of the report. */
    private static List<BatchAnswers.Lesson> reportLessons(final String section, final String program) {
        final int heading = section.indexOf("<h3>" + program + "</h3>");
        assertThat(heading).as("a heading for " + program).isNotNegative();
        final int from = section.indexOf("<table>", heading);
        final String table = section.substring(from, section.indexOf("</table>", from));
        final List<BatchAnswers.Lesson> lessons = new ArrayList<>();
        final Matcher m = Pattern.compile("<tr><td>([^<]*)</td><td class=n>(\\d+)</td>").matcher(table);
        while (m.find()) {
            lessons.add(new BatchAnswers.Lesson(m.group(1), Long.parseLong(m.group(2))));
        }
        return lessons;
    }

    private static String cohortName(final List<CohortRow> cohorts, final int id) {
        return cohorts.stream().filter(c -> c.id() == id).findFirst().orElseThrow().name();
    }
}
