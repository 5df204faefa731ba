package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The topology without repartition topics ({@code detector.repartition=never}, what a one-partition logs topic runs)
 * computes what the topology with them computes: the same alerts, in the same order, and the same views.
 */
class OneTaskTopologyTest {

    private static final String[] LESSONS = {"java-ii/arrays", "java-ii/loops", "javascript-i/functions", "html-css/forms",
            "appendix/regex", "mysql/joins", "spring/security", "fundamentals/git", "jquery/events", "java-iii/maps"};

    @Test
    void shouldAlertAndCountAsTheRepartitionedTopologyDoes() {
        // given six weeks of traffic from two cohorts with a scraper burst, a lesson spike and a quiet student
        final List<Consumer<DetectorDriver>> rows = traffic();

        // when it runs through both forms of the topology
        final Outcome repartitioned = run(rows, "always");
        final Outcome oneTask = run(rows, "never");

        // then both raise the same alerts and keep the same views
        assertThat(repartitioned.machineSpeed()).isNotEmpty();
        assertThat(repartitioned.bands()).isNotEmpty();
        assertThat(repartitioned.inactive()).isNotEmpty();
        assertThat(oneTask).isEqualTo(repartitioned);
    }

    private record Outcome(List<String> machineSpeed, List<String> bands, List<String> inactive, List<String> views) {
    }

    private static Outcome run(final List<Consumer<DetectorDriver>> rows, final String repartition) {
        try (DetectorDriver d = new DetectorDriver(Map.of("detector.repartition", repartition))) {
            d.cohort(29, "Zion", "2019-01-22", "2019-05-28", 2);
            d.cohort(30, "Ada", "2019-01-22", "2019-05-28", 3);
            rows.forEach(row -> row.accept(d));
            final List<String> views = new ArrayList<>();
            for (final String store : ViewStores.ALL) {
                try (var all = d.<String>store(store).all()) {
                    all.forEachRemaining(entry -> views.add(store + " " + entry.key + " " + java.util.Arrays.toString(entry.value)));
                }
            }
            return new Outcome(d.alerts().stream().map(Object::toString).toList(), d.bandAlerts().stream().map(Object::toString).toList(),
                    d.inactiveAlerts().stream().map(Object::toString).toList(), views);
        }
    }

    private static List<Consumer<DetectorDriver>> traffic() {
        final Random random = new Random(5);
        final List<Consumer<DetectorDriver>> rows = new ArrayList<>();
        long id = 1;
        for (int day = 0; day < 42; day++) {
            final String date = java.time.LocalDate.of(2019, 1, 22).plusDays(day).toString();
            final boolean spike = day == 36;
            for (int i = 0; i < (spike ? 260 : 120); i++) {
                final long user = 100 + random.nextInt(30);
                if (user == 100 && day > 1) {
                    continue; // a student who stops reading after the first days
                }
                final int cohort = user < 115 ? 29 : 30;
                final String lesson = spike && i % 2 == 0 ? "appendix/regex" : LESSONS[random.nextInt(LESSONS.length)];
                final String at = DetectorDriver.plusSeconds(date + " 09:00:00", i * 200L + random.nextInt(100));
                final long row = id++;
                rows.add(d -> d.access(row, at, lesson, user, cohort, "10.1." + cohort + "." + (user - 100)));
            }
            if (day == 20) {
                for (int p = 0; p < 60; p++) {
                    final long row = id++;
                    final String at = DetectorDriver.plusSeconds(date + " 23:00:00", p / 8);
                    final int page = p;
                    rows.add(d -> d.access(row, at, "lesson-" + page, null, null, "203.0.113.9"));
                }
            }
        }
        return rows;
    }
}
