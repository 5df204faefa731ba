package io.curriculum.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.app.generate.GeneratorSettings;
import io.curriculum.app.generate.HistoryGenerator;
import io.curriculum.app.generate.Label;
import io.curriculum.app.generate.Labels;
import io.curriculum.app.history.CohortRow;
import io.curriculum.app.history.CohortsCsv;
import io.curriculum.app.replay.ProgressListener;
import io.curriculum.app.replay.Replay;
import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.report.HtmlReport;
import io.curriculum.app.runtime.EmbeddedKafka;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.views.Answers;
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

/** A generated history with known answers replayed on a real broker, then every question asked of the API. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ApiReplayEndToEndTest {

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

                // 2: a cohort's lessons compared with its program's other cohorts, by name
                final JsonNode overuse = Http.get(url + "cohorts/Zion/overused");
                assertThat(overuse.path("cohort").asText()).isEqualTo("Zion");
                assertThat(overuse.path("lessons")).isNotEmpty();

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
                final List<JsonNode> alerts = new ArrayList<>();
                Http.get(url + "alerts/recent?limit=500").forEach(alerts::add);
                HtmlReport.write(report, "replay api-e2e", new Answers(new ViewGatherer(detector.get().streams(), null).gather()), alerts,
                        cohorts.stream().map(CohortRow::name).toList(), replay.config().views().newLessonAge());
                final String html = Files.readString(report);
                for (int question = 1; question <= 6; question++) {
                    assertThat(html).contains("<h2>" + question + ". ");
                }
                assertThat(html).contains("<svg").doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
                for (final long user : inactive) {
                    assertThat(html).contains("<tr><td>" + user + "</td>");
                }
                assertThat(html).contains(expected.lessons(2).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
            } finally {
                if (api.get() != null) {
                    api.get().close();
                }
            }
        }
    }
}
