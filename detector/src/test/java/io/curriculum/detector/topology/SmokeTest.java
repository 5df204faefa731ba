package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void scraperIsFlagged() {
        try (DetectorDriver d = new DetectorDriver()) {
            d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
            for (int i = 0; i < 60; i++) {
                d.access(1000 + i, String.format("2019-03-03 22:52:%02d", i / 10), "lesson/page-" + i, 341L, 29, "204.44.112.76");
            }
            var alerts = d.alerts();
            System.out.println(alerts);
            System.out.println(d.deadLetters());
            assertThat(alerts).isNotEmpty();
        }
    }
}
