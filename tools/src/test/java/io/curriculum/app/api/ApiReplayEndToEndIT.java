package io.curriculum.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.LessonKey;
import io.curriculum.detector.serde.AlertSerde;
import io.curriculum.detector.views.Answers;
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
import io.curriculum.tools.report.BandCounts;
import io.curriculum.tools.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated history with known answers replayed on a real broker, then every question asked of the API and the report:
 * the injected inactive students, the lesson a cohort was made to over-read, a band chart for each injected band anomaly.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ApiReplayEndToEndIT {

    @TempDir
    Path dir;

    @Test
    void shouldAnswerTheSixQuestionsFromAReplayedHistory() throws Exception {
        // given a generated history with labelled inactive students
        final List<CohortRow> cohorts = CohortsCsv.bundled();
        final Path history = dir.resolve("history.txt");
        final Path labelFile = dir.resolve("labels.jsonl");
        new HistoryGenerator(new GeneratorSettings(7, 40_000, LocalDate.of(2019, 1, 7), 63, cohorts, ZoneId.of("America/Chicago")))
                .write(history, labelFile);
        final List<Label> labels = Labels.read(labelFile);
        final ExpectedViews expected = new ExpectedViews(history, cohorts);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            final DetectorConfig base = DetectorConfig.from(client, Map.of());
            final AtomicReference<AnalystApi> api = new AtomicReference<>();
            final AtomicReference<DetectorRuntime> detector = new AtomicReference<>();
            try (Replay replay = new Replay(base, client, "api-e2e", dir.resolve("state"))) {
                // when it is replayed with the API served over the replay's detector
                replay.run(history, cohorts, 0, null, new ProgressListener() {
                    @Override
                    public void started(final DetectorRuntime runtime) {
                        detector.set(runtime);
                        api.set(AnalystApi.bind("127.0.0.1", 0).serve(runtime.streams(), replay.config(), client));
                    }
                });
                final String url = "http://127.0.0.1:" + api.get().port() + "/api/";

                // then 1: the top lessons of each program are the file's, in order
                for (final int program : new int[] {1, 2, 3}) {
                    final List<Map.Entry<String, Long>> top = expected.lessons(program).entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).limit(5).toList();
                    final List<String> answered = new ArrayList<>();
                    final List<Long> hits = new ArrayList<>();
                    for (final JsonNode row : Http.get(url + "lessons/top?program=" + program + "&limit=5")) {
                        answered.add(row.path("lesson").asText());
                        hits.add(row.path("hits").asLong());
                        assertThat(row.path("cohorts").asInt()).isPositive();
                    }
                    assertThat(answered).as("program " + program).containsExactlyElementsOf(top.stream().map(Map.Entry::getKey).toList());
                    assertThat(hits).containsExactlyElementsOf(top.stream().map(Map.Entry::getValue).toList());
                }

                // 3: the injected inactive students are listed; anyone else listed really had too few accesses in their window
                final TreeSet<Long> inactive = new TreeSet<>();
                for (final JsonNode row : Http.get(url + "students/inactive")) {
                    final long user = row.path("userId").asLong();
                    inactive.add(user);
                    final LocalDate from = LocalDate.parse(row.path("windowStart").asText());
                    final LocalDate to = LocalDate.parse(row.path("windowEnd").asText());
                    final long inWindow = expected.studentDays.get(user).stream().filter(d -> !d.isBefore(from) && !d.isAfter(to)).count();
                    assertThat(row.path("accessesInWindow").asLong()).as("user " + user).isEqualTo(inWindow).isLessThan(10);
                    assertThat(row.path("accesses").asLong()).isEqualTo(expected.studentDays.get(user).size());
                }
                final TreeSet<Long> injected = new TreeSet<>();
                labels.stream().filter(l -> l.kind().label().equals("inactive-student")).forEach(l -> injected.add(l.userId().longValue()));
                assertThat(injected).isNotEmpty();
                assertThat(inactive).containsAll(injected);

                // 5: the least-read lessons, fewest first, none too new
                final JsonNode least = Http.get(url + "lessons/least?program=2&limit=10");
                assertThat(least).isNotEmpty();
                final List<Long> leastHits = new ArrayList<>();
                least.forEach(row -> leastHits.add(row.path("hits").asLong()));
                assertThat(leastHits).isSortedAccordingTo(Comparator.naturalOrder());

                // 6: alumni keep reading
                assertThat(Http.get(url + "alumni/topics?program=2&limit=5")).isNotEmpty()
                        .allSatisfy(row -> assertThat(row.path("alumniHits").asLong()).isPositive());

                // 2: a cohort's lessons compared with its program's other cohorts, by name; the cohort made to over-read a lesson
                // has it flagged, first, with the file's count of its students' hits
                final JsonNode overuse = Http.get(url + "cohorts/Zion/overused");
                assertThat(overuse.path("cohort").asText()).isEqualTo("Zion");
                assertThat(overuse.path("lessons")).isNotEmpty();
                final Label overread = labels.stream().filter(l -> l.kind() == AnomalyKind.LESSON_OVERUSE).findFirst().orElseThrow();
                final String overreadCohort = cohorts.stream().filter(c -> c.id() == overread.cohortId()).findFirst().orElseThrow().name();
                final JsonNode overreadAnswer = Http.get(url + "cohorts/" + overreadCohort + "/overused");
                assertThat(overreadAnswer.path("cohortId").asInt()).isEqualTo(overread.cohortId());
                final JsonNode flagged = overreadAnswer.path("lessons").get(0);
                assertThat(flagged.path("lesson").asText()).isEqualTo(overread.lesson());
                assertThat(flagged.path("overused").asBoolean()).isTrue();
                assertThat(flagged.path("hits").asLong()).isEqualTo(expected.cohortHits(overread.cohortId(), overread.lesson()))
                        .isGreaterThanOrEqualTo(overread.rows());

                // 4: mismatched accounts answer, and the recent alerts include the inactive students' alerts
                assertThat(Http.get(url + "accounts/mismatched").isArray()).isTrue();
                final TreeSet<Long> alerted = new TreeSet<>();
                for (final JsonNode alert : Http.get(url + "alerts/recent?limit=500")) {
                    if (alert.path("rule").asText().equals("inactive-student")) {
                        alerted.add(alert.path("userId").asLong());
                    }
                }
                assertThat(alerted).isEqualTo(inactive);

                // and the report answers the six questions from the same views, self-contained
                final Path report = dir.resolve("report.html");
                final List<AlertRecord> alerts = new ArrayList<>();
                Http.get(url + "alerts/recent?limit=500").forEach(alert -> alerts.add(AlertSerde.of(alert)));
                final Map<LessonKey, List<BandCounts.Point>> bandCounts = BandCounts.of(history, cohorts, replay.config(),
                        HtmlReport.bandSeriesToChart(alerts));
                HtmlReport.write(report, "replay api-e2e", new Answers(new ViewGatherer(detector.get().streams(), null).gather()), alerts,
                        replay.config().views().newLessonAge(), bandCounts);
                final String html = Files.readString(report);
                for (int question = 1; question <= 6; question++) {
                    assertThat(html).contains("<h2>" + question + ". ");
                }
                assertThat(html).contains("<svg").doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
                for (final long user : inactive) {
                    assertThat(html).contains("<tr><td>" + user + "</td>");
                }
                assertThat(html).contains(expected.lessons(2).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
                assertThat(html).containsPattern("<tr><td>" + overreadCohort + "</td><td>[^<]*</td><td>" + overread.lesson() + "</td>");

                // and a band chart for each injected band anomaly's lesson, its breach marked on its day
                final List<Label> bandLabels = labels.stream()
                        .filter(l -> l.kind() == AnomalyKind.LESSON_SPIKE || l.kind() == AnomalyKind.LESSON_DROP).toList();
                assertThat(bandLabels).isNotEmpty();
                for (final Label band : bandLabels) {
                    final int start = html.indexOf("<figure class=\"band\" data-series=\"" + band.programId() + "|" + band.lesson() + "\">");
                    assertThat(start).as("a band chart for " + band.id()).isNotNegative();
                    final String chart = html.substring(start, html.indexOf("</figure>", start));
                    assertThat(chart).containsPattern("<path class=\"" + (band.kind() == AnomalyKind.LESSON_SPIKE ? "spike" : "drop")
                            + "\"[^>]*><title>" + band.rule() + " " + band.from().toString().substring(0, 10));
                }
                // whose counts and bands, counted again from the file, are the ones the detector alerted on
                int checked = 0;
                for (final BandAlert alert : alerts.stream().filter(BandAlert.class::isInstance).map(BandAlert.class::cast).toList()) {
                    final List<BandCounts.Point> points = bandCounts.get(new LessonKey(alert.programId(), alert.lesson()));
                    if (points != null) {
                        final BandCounts.Point point = points.stream().filter(p -> p.windowStart().equals(alert.windowStart()))
                                .findFirst().orElseThrow();
                        assertThat(point.count()).as(alert.alertId()).isEqualTo(alert.count());
                        assertThat(point.band().expected()).isCloseTo(alert.expected(), within(0.01));
                        assertThat(point.band().lower()).isCloseTo(alert.lower(), within(0.01));
                        assertThat(point.band().upper()).isCloseTo(alert.upper(), within(0.01));
                        checked++;
                    }
                }
                assertThat(checked).isGreaterThanOrEqualTo(bandLabels.size());
            } finally {
                if (api.get() != null) {
                    api.get().close();
                }
            }
        }
    }
}
