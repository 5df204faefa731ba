package io.curriculum.tools.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.detect.BurstSettings;
import io.curriculum.detector.detect.CrawlSettings;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.PaceScale;
import io.curriculum.detector.detect.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The windows of the peaks are the rules' windows, measured as the rules measure them. */
class PacePeaksTest {

    private static final BurstSettings BURST = new BurstSettings(List.of(new PaceScale(Duration.ofSeconds(20), 30, 10)), Duration.ofMinutes(2));
    private static final CrawlSettings CRAWL = new CrawlSettings(Duration.ofHours(1), 200, 12, 9);

    @Test
    void shouldHoldBackAClassroomByPagesPerUser() {
        // given: 30 users opening 2 distinct pages each within 15 s, 60 distinct pages in all
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            hits.add(hit(i * 250L, "lesson-" + i, 100L + i / 2));
        }

        // when
        final ScalePeak peak = PacePeaks.of("10.0.0.1", hits, Scope.IP, BURST, CRAWL, 0, Long.MAX_VALUE).get(0);

        // then
        assertThat(peak.verdict()).isEqualTo(ScalePeak.NOT_REACHED);
        assertThat(peak.busiest().distinctPages()).isEqualTo(60);
        assertThat(peak.busiest().users()).isEqualTo(30);
        assertThat(peak.busiest().pagesPerUser()).isEqualTo(2.0);
        assertThat(peak.closest().limitedBy()).isEqualTo("pages per user");
        assertThat(peak.closest().closeness()).isEqualTo(0.2);
    }

    @Test
    void shouldCountOnlyTheRequestsAfterTheWindowStart() {
        // given: 29 distinct pages, then the 30th exactly 20 s after the first (the first has left the window)
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            hits.add(hit(i * 100L, "lesson-" + i, 7L));
        }
        hits.add(hit(20_000L, "lesson-29", 7L));

        // when
        final ScalePeak peak = PacePeaks.of("10.0.0.1", hits, Scope.IP, BURST, CRAWL, 0, Long.MAX_VALUE).get(0);

        // then
        assertThat(peak.busiest().distinctPages()).isEqualTo(29);
        assertThat(peak.verdict()).isEqualTo(ScalePeak.NOT_REACHED);
        assertThat(peak.closest().closeness()).isEqualTo(29 / 30.0);
        assertThat(peak.closest().limitedBy()).isEqualTo("distinct pages");
    }

    @Test
    void shouldJudgeOnlyWindowsEndingInTheRangeButCountEarlierRequestsInThem() {
        // given: 40 distinct pages within 4 s; the range starts at the 31st
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            hits.add(hit(i * 100L, "lesson-" + i, 7L));
        }

        // when
        final ScalePeak peak = PacePeaks.of("10.0.0.1", hits, Scope.IP, BURST, CRAWL, 3_000, 3_500).get(0);

        // then
        assertThat(peak.busiest().distinctPages()).isEqualTo(36);
        assertThat(peak.busiest().end().toEpochMilli()).isEqualTo(3_500);
        assertThat(peak.verdict()).isEqualTo(ScalePeak.CROSSED);
    }

    private static Hit hit(final long time, final String lesson, final long user) {
        return new Hit(time, lesson, "10.0.0.1", user, 26, "student");
    }
}
