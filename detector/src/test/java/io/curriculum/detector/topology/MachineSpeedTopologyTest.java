package io.curriculum.detector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.serde.JsonSerde;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Machine-speed alerts per IP, per client and per user, at every scale, early, once per episode, with evidence; hard negatives stay silent. */
class MachineSpeedTopologyTest {

    private static final String SCRAPER = "204.44.112.76";
    private static final String CAMPUS_NAT = "97.105.19.61";

    private static DetectorDriver driverWithCohorts(final Map<String, String> settings) {
        final DetectorDriver d = new DetectorDriver(settings);
        d.cohort(29, "Zion", "2019-01-22", "2019-06-04", 2);
        d.cohort(28, "Staff", "2014-02-04", "2014-02-04", 2);
        d.cohort(55, "Bayes", "2019-08-19", "2020-01-30", 3);
        return d;
    }

    @Test
    void shouldFlagTheRealScraperOnTheRecordThatCrossesTheThreshold() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given the real history's scraper: 167 distinct lessons in 7 seconds; when fed one record at a time
            int alertsAt = -1;
            for (int i = 0; i < 167; i++) {
                d.access(1000 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i * 7 / 167), "javascript-i/page-" + i, 341L, 29, SCRAPER);
                if (alertsAt < 0 && !d.suspiciousIp.isEmpty()) {
                    alertsAt = i;
                }
            }

            // then the alert came out with the 30th distinct page, not when a window closed
            assertThat(alertsAt).isEqualTo(29);
            // and the episode yielded one open alert per scope, no more
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).extracting(MachineSpeedAlert::status).containsOnly("open");
            assertThat(alerts).extracting(MachineSpeedAlert::scope).containsExactlyInAnyOrder("ip", "client");
            final MachineSpeedAlert ip = alerts.stream().filter(a -> a.scope().equals("ip")).findFirst().orElseThrow();
            assertThat(ip.alertId()).isEqualTo("burst|ip|204.44.112.76|2019-03-04T04:52:00Z");
            assertThat(ip.rule()).isEqualTo("burst");
            assertThat(ip.distinctPages()).isEqualTo(30);
            assertThat(ip.windowStart()).isEqualTo(Instant.parse("2019-03-04T04:52:00Z"));
            assertThat(ip.userIds()).containsExactly(341L);
            assertThat(ip.cohorts()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("Zion");
                assertThat(c.programId()).isEqualTo(2);
            });
            assertThat(ip.roles()).containsExactly("student");
            assertThat(ip.samplePaths()).hasSize(10).contains("javascript-i/page-0");
            assertThat(ip.threshold().minDistinctPages()).isEqualTo(30);

            // when the episode goes quiet (another client moves event time on past the gap and the grace) and the sweep runs
            d.access(5000, "2019-03-03 23:10:00", "javascript-i/functions", 7L, 29, CAMPUS_NAT);
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);

            // then a closing update under the same key carries the whole episode
            final List<MachineSpeedAlert> closed = d.alerts();
            assertThat(closed).extracting(MachineSpeedAlert::alertId)
                    .containsExactlyInAnyOrder("burst|ip|204.44.112.76|2019-03-04T04:52:00Z", "burst|client|204.44.112.76|341|2019-03-04T04:52:00Z");
            assertThat(closed).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo("closed");
                assertThat(a.requests()).isEqualTo(167);
                assertThat(a.distinctPages()).isEqualTo(167);
                assertThat(a.windowEnd()).isEqualTo(Instant.parse("2019-03-04T04:52:06Z"));
            });
        }
    }

    @Test
    void shouldFlagTheSecondRealScraper186PagesIn20Seconds() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            for (int i = 0; i < 186; i++) {
                d.access(1000 + i, DetectorDriver.plusSeconds("2019-04-16 02:00:00", i * 20 / 186), "java-ii/page-" + i, 11L, null, "34.207.64.242");
            }
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).extracting(MachineSpeedAlert::scope).containsExactlyInAnyOrder("ip", "client");
            assertThat(alerts).allSatisfy(a -> assertThat(a.roles()).containsExactly("unknown"));
        }
    }

    @Test
    void shouldNotFlagAClassroomBehindOneNatAddress() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given thirty students behind the campus NAT opening the same four pages (and their images) in one minute
            final String[] pages = {"java-ii/arrays", "java-ii/arrays/images/array.png", "java-ii/collections", "java-ii", "java-ii/exceptions"};
            long id = 1;
            for (int student = 0; student < 30; student++) {
                for (int p = 0; p < pages.length; p++) {
                    d.access(id++, DetectorDriver.plusSeconds("2019-03-04 09:00:00", (student * 2 + p) % 60), "/" + pages[p], 400L + student, 29, CAMPUS_NAT);
                }
            }
            // then
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldNotFlagAPersonClickingQuicklyThroughATableOfContents() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given 20 distinct lessons opened one per second from the toc
            for (int i = 0; i < 20; i++) {
                d.access(1 + i * 2, DetectorDriver.plusSeconds("2019-03-04 19:00:00", i), "toc", 341L, 29, "70.112.1.1");
                d.access(2 + i * 2, DetectorDriver.plusSeconds("2019-03-04 19:00:00", i), "mysql/lesson-" + i, 341L, 29, "70.112.1.1");
            }
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldNotCountAPageAndItsImagesLoggedInTheSameSecondAsDistinctPages() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given 10 page views, each logging the page and 8 images in the same second
            long id = 1;
            for (int view = 0; view < 10; view++) {
                final String time = DetectorDriver.plusSeconds("2019-03-04 10:00:00", view * 2);
                d.access(id++, time, "/html-css/forms", 341L, 29, "70.112.1.1");
                for (int image = 0; image < 8; image++) {
                    d.access(id++, time, "/html-css/forms/images/form-" + view + "-" + image + ".jpg", 341L, 29, "70.112.1.1");
                }
            }
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldNotFlagACrowdedLabWhereEveryStudentOpensADifferentLesson() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given 80 students behind the campus NAT, each opening a different exercise within 16 seconds
            for (int student = 0; student < 80; student++) {
                d.access(1 + student, DetectorDriver.plusSeconds("2019-03-04 09:00:00", student / 5), "/lab/exercise-" + student, 400L + student, 29, CAMPUS_NAT);
            }
            // then: many distinct pages, but one per user
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldSingleOutOneUsersBurstBehindASharedNatAddress() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given a class of 25 around the same five pages on the campus NAT, and one of them scraping at the same time
            long id = 1;
            for (int second = 0; second < 40; second++) {
                final String time = DetectorDriver.plusSeconds("2019-03-04 10:00:00", second);
                d.access(id++, time, "/java-ii/page-" + (second % 5), 500L + second % 25, 29, CAMPUS_NAT);
                d.access(id++, time, "/java-ii/scraped-" + second * 2, 666L, 29, CAMPUS_NAT);
                d.access(id++, time, "/java-ii/scraped-" + (second * 2 + 1), 666L, 29, CAMPUS_NAT);
            }
            // then the client-scope alert names the scraping user alone, and no classmate is flagged;
            // the address itself is not flagged: 26 users there opened under 10 distinct pages each
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).extracting(MachineSpeedAlert::scope).containsOnly("client");
            assertThat(alerts).filteredOn(a -> a.scope().equals("client"))
                    .singleElement().satisfies(a -> {
                        assertThat(a.userId()).isEqualTo(666L);
                        assertThat(a.userIds()).containsExactly(666L);
                        assertThat(a.ip()).isEqualTo(CAMPUS_NAT);
                    });
        }
    }

    @Test
    void shouldFlagASustainedCrawlAtASteadyPace() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given one distinct lesson every 15 seconds for 70 minutes: never a burst, but no reader keeps it up
            for (int i = 0; i < 280; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-05 01:00:00", i * 15L), "python/page-" + i, 900L, 55, "45.23.250.16");
            }
            // then one crawl alert, for the client, after 200 distinct pages (the user scope stays silent: one address)
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("crawl");
                assertThat(a.scope()).isEqualTo("client");
                assertThat(a.distinctPages()).isEqualTo(200);
                assertThat(a.detectedAt()).isEqualTo(DetectorDriver.at("2019-03-05 01:49:45"));
                assertThat(a.threshold().minActiveSlots()).isEqualTo(9);
                assertThat(a.threshold().window()).isEqualTo(java.time.Duration.ofHours(1));
                assertThat(a.secondsPerPage()).isCloseTo(2985.0 / 200, org.assertj.core.data.Offset.offset(0.01));
                assertThat(a.roles()).containsExactly("before-start");
            });
        }
    }

    @Test
    void shouldNotFlagAllowlistedAddresses() {
        try (DetectorDriver d = driverWithCohorts(Map.of("detector.allowlist", "10.0.0.0/8, 204.44.112.76"))) {
            for (int i = 0; i < 60; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 10), "lesson/page-" + i, 341L, 29, SCRAPER);
                d.access(100 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 10), "lesson/page-" + i, 1L, 28, "10.20.30.40");
            }
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldFlagAnAccessWhoseCohortIsNotKnownYetAndNameItsStaffRole() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given a staff burst and a burst from a cohort the table does not hold
            for (int i = 0; i < 30; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 10), "lesson/page-" + i, 2L, 28, "8.8.4.4");
                d.access(100 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 10), "lesson/page-" + i, 3L, 999, "8.8.8.8");
            }
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).filteredOn(a -> a.ip().equals("8.8.4.4")).allSatisfy(a -> assertThat(a.roles()).containsExactly("staff"));
            assertThat(alerts).filteredOn(a -> a.ip().equals("8.8.8.8")).hasSize(2).allSatisfy(a -> {
                assertThat(a.roles()).containsExactly("unknown");
                assertThat(a.cohorts()).singleElement().satisfies(c -> {
                    assertThat(c.id()).isEqualTo(999);
                    assertThat(c.name()).isNull();
                });
            });
        }
    }

    @Test
    void shouldWriteAlertJsonWithEveryEvidenceField() throws Exception {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            for (int i = 0; i < 30; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 10), "lesson/page-" + i, 341L, 29, SCRAPER);
            }
            final byte[] json = d.driver.createOutputTopic("curriculum.alerts.suspicious-ip",
                    org.apache.kafka.common.serialization.Serdes.String().deserializer(),
                    org.apache.kafka.common.serialization.Serdes.ByteArray().deserializer()).readValue();
            final JsonNode alert = JsonSerde.MAPPER.readTree(json);
            assertThat(alert.fieldNames()).toIterable().containsExactly("alertId", "rule", "scope", "status", "ip", "userId", "ips", "threshold",
                    "secondsPerPage", "windowStart", "windowEnd", "detectedAt", "requests", "distinctPages", "userIds", "cohorts", "roles", "samplePaths",
                    "ruleId", "ruleVersion", "simulated");
            assertThat(alert.get("windowStart").asText()).isEqualTo("2019-03-04T04:52:00Z");
            assertThat(alert.get("threshold").get("window").asText()).isEqualTo("PT20S");
            assertThat(alert.get("cohorts").get(0).get("name").asText()).isEqualTo("Zion");
        }
    }

    @Test
    void shouldFlagThePublishedSlowBurstOf57PagesIn74SecondsForTheAddressAndTheClient() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given the published case: user 247 fetched 57 distinct pages (72 requests) in 74 seconds from one address,
            // and did nothing else; never 30 distinct pages within 20 seconds
            long id = 1;
            for (int i = 0; i < 72; i++) {
                final int page = i < 57 ? i : (i - 57) * 3;
                d.access(id++, DetectorDriver.plusSeconds("2019-05-13 14:20:00", i * 74L / 71), "appendix/page-" + page, 247L, 29, "72.191.33.138");
            }

            // then the two-minute scale fires for the address and the client, once each (the user scope adds nothing
            // on one address)
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).extracting(MachineSpeedAlert::scope).containsExactlyInAnyOrder("ip", "client");
            assertThat(alerts).allSatisfy(a -> {
                assertThat(a.rule()).isEqualTo("burst");
                assertThat(a.status()).isEqualTo("open");
                assertThat(a.threshold().window()).isEqualTo(java.time.Duration.ofMinutes(2));
                assertThat(a.threshold().minDistinctPages()).isEqualTo(40);
                assertThat(a.threshold().secondsPerPage()).isEqualTo(3.0);
                assertThat(a.distinctPages()).isEqualTo(40);
                assertThat(a.secondsPerPage()).isLessThan(a.threshold().secondsPerPage());
                assertThat(a.ips()).containsExactly("72.191.33.138");
                assertThat(a.ip()).isEqualTo("72.191.33.138");
            });
            assertThat(alerts).filteredOn(a -> a.scope().equals("client")).singleElement()
                    .satisfies(a -> assertThat(a.alertId()).isEqualTo("burst|client|72.191.33.138|247|2019-05-13T19:20:00Z"));
        }
    }

    @Test
    void shouldFlagAUserRotatingSixAddressesOnlyAtTheUserScopeAndNameEveryAddress() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given one account fetching 180 distinct pages in 3 minutes, round-robin over six addresses (three of one /24):
            // 30 pages per address, under every per-address threshold
            final String[] addresses = {"23.116.5.10", "23.116.5.11", "23.116.5.12", "99.31.7.200", "104.190.3.4", "172.58.1.9"};
            for (int i = 0; i < 180; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-05-14 21:00:00", i), "java-iii/page-" + i, 612L, 29, addresses[i % addresses.length]);
            }

            // then one burst alert, for the user, naming every address
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.scope()).isEqualTo("user");
                assertThat(a.rule()).isEqualTo("burst");
                assertThat(a.userId()).isEqualTo(612L);
                assertThat(a.ips()).containsExactlyInAnyOrder(addresses);
                assertThat(a.threshold().window()).isEqualTo(java.time.Duration.ofMinutes(2));
                assertThat(a.detectedAt()).isEqualTo(DetectorDriver.at("2019-05-14 21:00:39"));
            });
        }
    }

    @Test
    void shouldFlagAFourHourCrawlOfOnePageEveryFortySecondsAtTheThreeHourScale() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given 360 distinct lessons, one every 40 seconds: 90 an hour, under the one-hour rule
            for (int i = 0; i < 360; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-05-15 08:00:00", i * 40L), "spring/page-" + i, 77L, 29, "76.185.4.9");
            }

            // then the three-hour scale fires for the client when 240 pages have been walked
            final List<MachineSpeedAlert> alerts = d.alerts();
            assertThat(alerts).extracting(MachineSpeedAlert::scope).containsExactly("client");
            assertThat(alerts).allSatisfy(a -> {
                assertThat(a.rule()).isEqualTo("crawl");
                assertThat(a.threshold().window()).isEqualTo(java.time.Duration.ofHours(3));
                assertThat(a.threshold().minNewPageShare()).isEqualTo(0.5);
                assertThat(a.distinctPages()).isEqualTo(240);
                assertThat(a.detectedAt()).isEqualTo(DetectorDriver.at(DetectorDriver.plusSeconds("2019-05-15 08:00:00", 239 * 40L)));
            });
        }
    }

    @Test
    void shouldNotFlagAStaffMemberReviewingAWholeModule() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given a staff member opening every lesson of a 24-lesson module, 4 to 8 seconds each, then going back over it
            long id = 1;
            long t = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < 24; i++) {
                    d.access(id++, DetectorDriver.plusSeconds("2019-05-16 10:00:00", t), "java-ii/lesson-" + i, 2L, 28, "70.121.8.8");
                    t += 4 + (i * 7) % 5;
                }
            }
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldNotFlagAHeavyReaderStudyingAllDay() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given nine hours of reading: a page every 20 to 110 seconds, every third one a page read before
            long t = 0;
            for (int i = 0; i < 480; i++) {
                final int page = i % 3 == 2 ? i / 2 : i;
                d.access(1 + i, DetectorDriver.plusSeconds("2019-05-17 08:00:00", t), "mysql/page-" + page, 313L, 29, "70.114.2.2");
                t += 20 + (i * 37) % 91;
            }
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldNotFlagFourPeopleReadingAtOneHomeAddress() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given four users at one home address each reading a page every 8 to 40 seconds for two hours
            long id = 1;
            for (int user = 0; user < 4; user++) {
                long t = user * 3L;
                for (int i = 0; i < 300 && t < 7200; i++) {
                    d.access(id++, DetectorDriver.plusSeconds("2019-05-18 19:00:00", t), "course-" + user + "/page-" + (i % 150), 800L + user, 29, "99.44.1.1");
                    t += 8 + (i * 13 + user * 5) % 33;
                }
            }
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldJudgeEachKeyByItsOwnTimeSoAKeyTrailingTheOthersKeepsItsEpisode() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given a burst in progress, then another client eight minutes ahead (past the burst's gap, within the grace)
            for (int i = 0; i < 40; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-05-20 12:00:00", i / 4), "html-css/page-" + i, 341L, 29, SCRAPER);
            }
            d.access(100, "2019-05-20 12:08:00", "html-css/forms", 9L, 29, "70.1.1.1");
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
            final List<MachineSpeedAlert> beforeTheRest = d.alerts();

            // when the rest of the burst arrives behind it, and then time moves on past the gap and the grace
            for (int i = 40; i < 80; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-05-20 12:00:00", i / 4), "html-css/page-" + i, 341L, 29, SCRAPER);
            }
            final List<MachineSpeedAlert> behind = d.alerts();
            d.access(101, "2019-05-20 12:30:00", "html-css/forms", 10L, 29, "70.1.1.2");
            final List<MachineSpeedAlert> closed = d.alerts();

            // then the trailing rows were not late: one open alert per scope, no closing while the burst's own time ran,
            // and the closing update carries all 80 pages
            assertThat(beforeTheRest).extracting(MachineSpeedAlert::status).containsExactly("open", "open");
            assertThat(behind).isEmpty();
            assertThat(closed).extracting(MachineSpeedAlert::status).containsExactly("closed", "closed");
            assertThat(closed).allSatisfy(a -> assertThat(a.distinctPages()).isEqualTo(80));
        }
    }

    @Test
    void shouldTreatARowOfAnAlreadyClosedEpisodeAsLateForItsKeyAndOpenNoSecondAlert() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            // given a burst, closed after another client moved event time past its gap and the grace
            for (int i = 0; i < 40; i++) {
                d.access(1 + i, DetectorDriver.plusSeconds("2019-05-20 12:00:00", i / 4), "html-css/page-" + i, 341L, 29, SCRAPER);
            }
            d.access(101, "2019-05-20 12:30:00", "html-css/forms", 10L, 29, "70.1.1.2");
            assertThat(d.alerts()).extracting(MachineSpeedAlert::status).containsExactly("open", "open", "closed", "closed");

            // when forty more rows of that burst arrive half an hour late, with times inside the closed episode: older than what
            // the rules keep of a key, so its state may have been forgotten (counted as machine-speed-late-rows)
            for (int i = 0; i < 40; i++) {
                d.access(200 + i, DetectorDriver.plusSeconds("2019-05-20 12:00:00", i / 4), "html-css/other-" + i, 341L, 29, SCRAPER);
            }

            // then they change nothing: no second alert for the same burst
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void shouldProduceTheSameAlertKeysAndValuesWhenTheSameHistoryIsReplayed() {
        final List<org.apache.kafka.streams.KeyValue<String, MachineSpeedAlert>> first = replayMixedHistory();
        final List<org.apache.kafka.streams.KeyValue<String, MachineSpeedAlert>> second = replayMixedHistory();
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    private static List<org.apache.kafka.streams.KeyValue<String, MachineSpeedAlert>> replayMixedHistory() {
        try (DetectorDriver d = driverWithCohorts(Map.of())) {
            long id = 1;
            for (int i = 0; i < 120; i++) {
                d.access(id++, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i / 12), "lesson/page-" + i, 341L, 29, SCRAPER);
                d.access(id++, DetectorDriver.plusSeconds("2019-03-03 22:52:00", i), "java-ii/page-" + i % 4, 400L + i % 20, 29, CAMPUS_NAT);
            }
            d.access(id, "2019-03-03 23:30:00", "java-ii/arrays", 1L, 29, CAMPUS_NAT);
            d.advanceWallClock(MachineSpeedProcessor.SWEEP_INTERVAL);
            return d.suspiciousIp.readKeyValuesToList();
        }
    }
}
