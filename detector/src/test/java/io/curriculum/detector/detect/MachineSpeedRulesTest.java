package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.DetectorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineSpeedRulesTest {

    /** A Monday afternoon, aligned to the 5-minute crawl slots so slot arithmetic in the tests is exact. */
    private static final long T0 = Instant.parse("2019-03-04T14:00:00Z").toEpochMilli();
    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private static final BurstSettings BURST = new BurstSettings(Duration.ofSeconds(20), 30, 10, Duration.ofMinutes(5));
    private static final CrawlSettings CRAWL = new CrawlSettings(Duration.ofHours(1), 200, 12, 9);

    private final MachineSpeedRules rules = new MachineSpeedRules(BURST, CRAWL, Duration.ofMinutes(10));

    // ---------------------------------------------------------------- burst rule

    @Test
    void shouldFlagScraperFetching167PagesInSevenSecondsOnceOnTheThirtiethDistinctPage() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> scraper = distinctPagesOverSpan(T0, 167, 7 * SECOND);

        // when
        final List<Fired> fired = feed(state, scraper, Scope.IP);

        // then
        assertThat(fired).hasSize(1);
        final Fired open = fired.get(0);
        assertThat(open.rule()).isEqualTo(Signal.Rule.BURST);
        assertThat(open.open()).isTrue();
        assertThat(open.index()).as("index of the hit that opened the episode").isEqualTo(29);
        assertThat(open.detectedAt()).isEqualTo(scraper.get(29).time());
        assertThat(open.distinctPages()).isEqualTo(30);
        assertThat(open.requests()).isEqualTo(30);
        assertThat(open.start()).isEqualTo(T0);
        assertThat(state.hasOpenEpisode()).isTrue();
    }

    @Test
    void shouldNotFireOnTwentyNineDistinctPagesButOnTheThirtiethWithinTheWindow() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> pages = distinctPagesOverSpan(T0, 30, 10 * SECOND);

        // when
        final List<Fired> afterTwentyNine = feed(state, pages.subList(0, 29), Scope.IP);
        final List<Signal> onThirtieth = onHit(state, pages.get(29), Scope.IP);

        // then
        assertThat(afterTwentyNine).isEmpty();
        assertThat(onThirtieth).hasSize(1);
        assertThat(onThirtieth.get(0).open()).isTrue();
        assertThat(onThirtieth.get(0).episode().detectedAt()).isEqualTo(pages.get(29).time());
    }

    @Test
    void shouldFlagScraperFetching186DistinctPagesOverTwentySeconds() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> scraper = distinctPagesOverSpan(T0, 186, 20 * SECOND);

        // when
        final List<Fired> fired = feed(state, scraper, Scope.IP);

        // then
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).rule()).isEqualTo(Signal.Rule.BURST);
        assertThat(fired.get(0).open()).isTrue();
        assertThat(state.hasOpenEpisode()).isTrue();
    }

    @Test
    void shouldOpenNoSecondSignalForLaterHitsOfTheSameBurst() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> scraper = distinctPagesOverSpan(T0, 167, 7 * SECOND);
        feed(state, scraper.subList(0, 40), Scope.IP);

        // when
        final List<Fired> later = feed(state, scraper.subList(40, scraper.size()), Scope.IP);

        // then
        assertThat(later).isEmpty();
        assertThat(state.hasOpenEpisode()).isTrue();
    }

    @Test
    void shouldNeverFlagClassroomOfThirtyUsersBehindOneIpOpeningTheSameFewLessons() {
        // given: 30 users each open 3-5 of the same lessons twice (a reload) within one minute
        final ActivityState state = new ActivityState();
        final List<Hit> classroom = new ArrayList<>();
        for (int user = 0; user < 30; user++) {
            final int lessons = 3 + user % 3;
            for (int l = 0; l < lessons; l++) {
                for (int reload = 0; reload < 2; reload++) {
                    final long offset = (user * 1_913L + l * 7_001L + reload * 3_001L) % (60 * SECOND);
                    classroom.add(hit(T0 + offset, lesson(l), 1_000L + user, 42));
                }
            }
        }
        classroom.sort((a, b) -> Long.compare(a.time(), b.time()));

        // when
        final List<Fired> fired = feed(state, classroom, Scope.CLIENT);

        // then
        assertThat(classroom).hasSize(240);
        assertThat(fired).isEmpty();
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldNeverFlagFastHumanClickingThroughTableOfContents() {
        // given: 20 distinct lessons, one every 1 or 2 seconds
        final ActivityState state = new ActivityState();
        final List<Hit> reader = new ArrayList<>();
        long time = T0;
        for (int i = 0; i < 20; i++) {
            reader.add(hit(time, lesson(i)));
            time += i % 2 == 0 ? SECOND : 2 * SECOND;
        }

        // when
        final List<Fired> fired = feed(state, reader, Scope.CLIENT);

        // then
        assertThat(fired).isEmpty();
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldNotCountRepeatedRequestsToTheSamePageAsDistinct() {
        // given: one page hammered 500 times, then 29 pages requested 10 times each, all within 20 s
        final ActivityState hammered = new ActivityState();
        final List<Hit> samePage = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            samePage.add(hit(T0 + i * 20L, lesson(1)));
        }
        final ActivityState reloaded = new ActivityState();
        final List<Hit> twentyNinePages = new ArrayList<>();
        for (int i = 0; i < 290; i++) {
            twentyNinePages.add(hit(T0 + i * 60L, lesson(i % 29)));
        }

        // when
        final List<Fired> firedSamePage = feed(hammered, samePage, Scope.CLIENT);
        final List<Fired> firedTwentyNine = feed(reloaded, twentyNinePages, Scope.CLIENT);

        // then
        assertThat(firedSamePage).isEmpty();
        assertThat(firedTwentyNine).isEmpty();
        assertThat(hammered.hasOpenEpisode()).isFalse();
        assertThat(reloaded.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldCloseBurstOnIdleAfterEpisodeGapAndGraceWithTheWholeEpisodesRequestsAndPages() {
        // given: 60 distinct pages, each requested twice, within 10 s
        final ActivityState state = new ActivityState();
        final List<Hit> scraper = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            scraper.add(hit(T0 + i * 80L, lesson(i / 2)));
        }
        feed(state, scraper, Scope.IP);
        final long last = scraper.get(scraper.size() - 1).time();

        // when
        // (a quiet key waits the grace as well: its own rows may trail the clock by that much)
        final List<Signal> atGap = rules.onIdle(state, last + 15 * MINUTE);
        final List<Signal> afterGap = rules.onIdle(state, last + 15 * MINUTE + 1);

        // then
        assertThat(atGap).isEmpty();
        assertThat(afterGap).hasSize(1);
        final Signal closed = afterGap.get(0);
        assertThat(closed.rule()).isEqualTo(Signal.Rule.BURST);
        assertThat(closed.open()).isFalse();
        assertThat(closed.episode().requests()).isEqualTo(120);
        assertThat(closed.episode().distinctPages()).isEqualTo(60);
        assertThat(closed.episode().start()).isEqualTo(T0);
        assertThat(closed.episode().end()).isEqualTo(last);
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldCloseBurstWhenNextHitArrivesAfterEpisodeGapWithoutCountingThatHit() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> scraper = distinctPagesOverSpan(T0, 167, 7 * SECOND);
        feed(state, scraper, Scope.IP);
        final long last = scraper.get(scraper.size() - 1).time();

        // when
        final List<Signal> signals = onHit(state, hit(last + 5 * MINUTE + SECOND, lesson(999)), Scope.IP);

        // then
        assertThat(signals).hasSize(1);
        final Signal closed = signals.get(0);
        assertThat(closed.rule()).isEqualTo(Signal.Rule.BURST);
        assertThat(closed.open()).isFalse();
        assertThat(closed.episode().requests()).isEqualTo(167);
        assertThat(closed.episode().distinctPages()).isEqualTo(167);
        assertThat(closed.episode().start()).isEqualTo(T0);
        assertThat(closed.episode().end()).isEqualTo(last);
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldOpenNewEpisodeForNewBurstAfterTheEpisodeGap() {
        // given: a first burst, closed by quiet time
        final ActivityState state = new ActivityState();
        final List<Hit> first = distinctPagesOverSpan(T0, 50, 5 * SECOND);
        final List<Fired> firstSignals = feed(state, first, Scope.IP);
        final long restart = T0 + HOUR;
        final List<Signal> closing = rules.onIdle(state, restart);
        final List<Hit> second = distinctPagesOverSpan(restart, 50, 5 * SECOND);

        // when
        final List<Fired> secondSignals = feed(state, second, Scope.IP);

        // then
        assertThat(firstSignals).hasSize(1);
        assertThat(closing).singleElement().satisfies(s -> {
            assertThat(s.open()).isFalse();
            assertThat(s.episode().requests()).isEqualTo(50);
        });
        assertThat(secondSignals).hasSize(1);
        final Fired reopened = secondSignals.get(0);
        assertThat(reopened.rule()).isEqualTo(Signal.Rule.BURST);
        assertThat(reopened.open()).isTrue();
        assertThat(reopened.start()).isEqualTo(restart);
        assertThat(reopened.detectedAt()).isGreaterThan(firstSignals.get(0).detectedAt()).isGreaterThanOrEqualTo(restart);
        assertThat(state.hasOpenEpisode()).isTrue();
    }

    @Test
    void shouldCollectUsersCohortsAndRolesOfTheBurstEvidence() {
        // given: three accounts behind one IP take turns fetching 40 distinct pages in 8 s
        final ActivityState state = new ActivityState();
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            final long user = 30L - i % 3 * 10;
            hits.add(new Hit(T0 + i * 200L, lesson(i), "97.105.19.58", user, (int) user / 10, user == 10L ? "staff" : "student"));
        }
        feed(state, hits, Scope.IP);

        // when
        final List<Signal> closed = rules.onIdle(state, T0 + HOUR);

        // then
        assertThat(closed).singleElement().satisfies(s -> {
            assertThat(s.episode().users()).containsExactly(10L, 20L, 30L);
            assertThat(s.episode().cohorts()).containsExactly(1, 2, 3);
            assertThat(s.episode().roles()).containsExactly("staff", "student");
            assertThat(s.episode().sample()).hasSize(10).startsWith(lesson(0), lesson(1));
        });
    }

    // ---------------------------------------------------------------- crawl rule

    @Test
    void shouldOpenCrawlSignalForSustainedCrawlOfOnePageEveryFifteenSecondsWhenWatched() {
        // given: 280 distinct pages, one every 15 s for 70 minutes
        final ActivityState state = new ActivityState();
        final List<Hit> crawler = steadyCrawl(T0, 280, 15 * SECOND);

        // when
        final List<Fired> fired = feed(state, crawler, Scope.CLIENT);

        // then: the 200th distinct page (at 49m45s, in the 10th slot) crosses the threshold
        assertThat(fired).hasSize(1);
        final Fired open = fired.get(0);
        assertThat(open.rule()).isEqualTo(Signal.Rule.CRAWL);
        assertThat(open.open()).isTrue();
        assertThat(open.index()).isEqualTo(199);
        assertThat(open.detectedAt()).isEqualTo(T0 + 199 * 15 * SECOND);
        assertThat(open.distinctPages()).isEqualTo(200);
        assertThat(open.requests()).isEqualTo(200);
        assertThat(open.start()).isEqualTo(T0);
        assertThat(state.hasOpenEpisode()).isTrue();
    }

    @Test
    void shouldCloseCrawlAfterOneWholeQuietCrawlWindowAndTheGraceWithTheWholeEpisode() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> crawler = steadyCrawl(T0, 280, 15 * SECOND);
        feed(state, crawler, Scope.CLIENT);
        final long last = crawler.get(crawler.size() - 1).time();

        // when
        final List<Signal> atWindow = rules.onIdle(state, last + HOUR + 10 * MINUTE);
        final List<Signal> afterWindow = rules.onIdle(state, last + HOUR + 10 * MINUTE + 1);

        // then
        assertThat(atWindow).isEmpty();
        assertThat(afterWindow).singleElement().satisfies(s -> {
            assertThat(s.rule()).isEqualTo(Signal.Rule.CRAWL);
            assertThat(s.open()).isFalse();
            assertThat(s.episode().requests()).isEqualTo(280);
            assertThat(s.episode().distinctPages()).isEqualTo(280);
            assertThat(s.episode().start()).isEqualTo(T0);
            assertThat(s.episode().end()).isEqualTo(last);
        });
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldNeverOpenCrawlSignalWhenCrawlIsNotWatched() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> crawler = steadyCrawl(T0, 280, 15 * SECOND);

        // when
        final List<Fired> fired = feed(state, crawler, Scope.IP);
        final List<Signal> idle = rules.onIdle(state, T0 + 5 * HOUR);

        // then
        assertThat(fired).isEmpty();
        assertThat(idle).isEmpty();
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldFireBurstButNotCrawlFor250PagesConcentratedInTwoMinutes() {
        // given: 250 distinct pages within 2 minutes, then nothing
        final ActivityState state = new ActivityState();
        final List<Hit> burst = distinctPagesOverSpan(T0, 250, 2 * MINUTE);

        // when
        final List<Fired> fired = feed(state, burst, Scope.CLIENT);
        final List<Signal> idle = rules.onIdle(state, T0 + 3 * HOUR);

        // then
        assertThat(fired).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(Signal.Rule.BURST);
            assertThat(f.open()).isTrue();
        });
        assertThat(idle).singleElement().satisfies(s -> {
            assertThat(s.rule()).isEqualTo(Signal.Rule.BURST);
            assertThat(s.open()).isFalse();
            assertThat(s.episode().distinctPages()).isEqualTo(250);
        });
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    @Test
    void shouldNeverFlagSlowReaderOpeningOnePageEveryTwoMinutesForThreeHours() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> reader = steadyCrawl(T0, 90, 2 * MINUTE);

        // when
        final List<Fired> fired = feed(state, reader, Scope.CLIENT);

        // then
        assertThat(fired).isEmpty();
        assertThat(state.hasOpenEpisode()).isFalse();
    }

    // ---------------------------------------------------------------- the default scales

    /** The default settings: bursts at 20 s, 2 min and 10 min; crawls at 1 h and 3 h with half the requests new pages. */
    private final MachineSpeedRules defaults = new MachineSpeedRules(DetectorConfig.defaults().burst(), DetectorConfig.defaults().crawl(),
            Duration.ofMinutes(10));

    @Test
    void shouldFlagThePublishedCaseOf57PagesIn74SecondsAtTheTwoMinuteScaleOnItsFortiethPage() {
        // given 57 distinct pages and 15 repeats, 72 requests over 74 seconds
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 72; i++) {
            hits.add(hit(T0 + i * 74 * SECOND / 71, lesson(i < 57 ? i : (i - 57) * 3), 247L, 29));
        }

        // when
        final List<Fired> fired = feed(defaults, new ActivityState(), hits, Scope.CLIENT);

        // then
        assertThat(fired).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(39);
            assertThat(f.scale()).isEqualTo(1);
            assertThat(f.distinctPages()).isEqualTo(40);
            assertThat(f.secondsPerPage()).isLessThan(defaults.burst().scales().get(1).secondsPerPage());
        });
    }

    @Test
    void shouldFlagOneHundredPagesInEightMinutesAtTheTenMinuteScaleOnly() {
        // when: one new page every 4.8 s, 25 in any two minutes
        final List<Fired> fired = feed(defaults, new ActivityState(), distinctPagesOverSpan(T0, 101, 8 * MINUTE), Scope.CLIENT);

        // then
        assertThat(fired).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(Signal.Rule.BURST);
            assertThat(f.scale()).isEqualTo(2);
            assertThat(f.index()).isEqualTo(99);
        });
    }

    @Test
    void shouldNeverFlagAFastHumanWhoSkimsTwentyPagesThenReadsAtTheLongerScales() {
        // given 20 lessons in 20 s, then a page every 30 s for half an hour
        final List<Hit> hits = new ArrayList<>(distinctPagesOverSpan(T0, 20, 19 * SECOND));
        for (int i = 0; i < 60; i++) {
            hits.add(hit(T0 + 20 * SECOND + i * 30 * SECOND, "reading/page-" + i));
        }

        // when / then
        assertThat(feed(defaults, new ActivityState(), hits, Scope.CLIENT)).isEmpty();
    }

    @Test
    void shouldFlagTheUserScopeOnlyOverWindowsThatSpanSeveralAddresses() {
        // given 60 pages in 30 s: once from one address, once round-robin over three
        final List<Hit> oneAddress = new ArrayList<>();
        final List<Hit> threeAddresses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            oneAddress.add(new Hit(T0 + i * 500L, lesson(i), "23.116.5.10", 612L, 29, "student"));
            threeAddresses.add(new Hit(T0 + i * 500L, lesson(i), "23.116.5." + (10 + i % 3), 612L, 29, "student"));
        }

        // when
        final List<Fired> alone = feed(defaults, new ActivityState(), oneAddress, Scope.USER);
        final List<Fired> rotating = feed(defaults, new ActivityState(), threeAddresses, Scope.USER);

        // then: on one address the client scope speaks; across three the user scope does, and names them
        assertThat(alone).isEmpty();
        assertThat(feed(defaults, new ActivityState(), oneAddress, Scope.CLIENT)).hasSize(1);
        assertThat(rotating).singleElement().satisfies(f -> assertThat(f.ips()).containsExactly("23.116.5.10", "23.116.5.11", "23.116.5.12"));
    }

    @Test
    void shouldFlagAThreeHourCrawlAtOnePageEveryFortySecondsButNotAReaderWhoRereads() {
        // given a crawler at a new page every 40 s for four hours, and a reader as fast who reads every page three times
        final List<Hit> crawler = steadyCrawl(T0, 360, 40 * SECOND);
        final List<Hit> rereader = new ArrayList<>();
        for (int i = 0; i < 360 * 3; i++) {
            rereader.add(hit(T0 + i * 40 * SECOND / 3, "reread/page-" + i / 3, 8L, 3));
        }

        // when
        final List<Fired> crawl = feed(defaults, new ActivityState(), crawler, Scope.CLIENT);
        final List<Fired> reread = feed(defaults, new ActivityState(), rereader, Scope.CLIENT);

        // then
        assertThat(crawl).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(Signal.Rule.CRAWL);
            assertThat(f.scale()).isEqualTo(1);
            assertThat(f.index()).isEqualTo(239);
        });
        assertThat(reread).isEmpty();
    }

    @Test
    void shouldIgnoreARowAtOrBeforeTheEndOfAnEpisodeAlreadyClosedForTheKey() {
        // given a burst closed by the key's own next row after the gap
        final ActivityState state = new ActivityState();
        feed(defaults, state, distinctPagesOverSpan(T0, 40, 10 * SECOND), Scope.CLIENT);
        final List<Signal> closing = defaults.onHit(state, hit(T0 + 6 * MINUTE, "later/page"), Scope.CLIENT);

        // when forty late rows of the closed burst arrive, new pages inside its span
        final List<Hit> late = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            late.add(hit(T0 + i * 250L, "late/page-" + i));
        }
        final List<Fired> afterLate = feed(defaults, state, late, Scope.CLIENT);

        // then the closing came from the key's own time, and the late rows change nothing
        assertThat(closing).singleElement().satisfies(s -> assertThat(s.open()).isFalse());
        assertThat(afterLate).isEmpty();
    }

    @Test
    void shouldRoundTripStateWithSeveralCrawlRingsAndAddressesToIdenticalBytes() {
        // given a user state after a rotating crawl
        final ActivityState original = new ActivityState();
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            hits.add(new Hit(T0 + i * 40 * SECOND, lesson(i), "23.116.5." + (10 + i % 4), 612L, 29, "student"));
        }
        feed(defaults, original, hits, Scope.USER);

        // when
        final byte[] encoded = ActivityStateCodec.encode(original);
        final ActivityState decoded = ActivityStateCodec.decode(encoded);

        // then
        assertThat(ActivityStateCodec.encode(decoded)).isEqualTo(encoded);
        assertThat(decoded.slotIds).isDeepEqualTo(original.slotIds);
        assertThat(decoded.crawlIps).isEqualTo(original.crawlIps).hasSize(4);
        assertThat(decoded.crawl.ips()).containsExactly("23.116.5.10", "23.116.5.11", "23.116.5.12", "23.116.5.13");
    }

    // ---------------------------------------------------------------- retention

    @Test
    void shouldRetainStateForTheGracePlusBurstWindowAndGapOrTheLongestCrawlWindow() {
        // when / then
        assertThat(rules.retentionMillis(Scope.IP)).isEqualTo(10 * MINUTE + 20 * SECOND + 5 * MINUTE);
        assertThat(rules.retentionMillis(Scope.CLIENT)).isEqualTo(10 * MINUTE + HOUR);
    }

    @Test
    void shouldNotExpireWhileEpisodeIsOpenAndExpireAfterRetention() {
        // given
        final ActivityState state = new ActivityState();
        final List<Hit> scraper = distinctPagesOverSpan(T0, 167, 7 * SECOND);
        feed(state, scraper, Scope.IP);
        final long last = scraper.get(scraper.size() - 1).time();

        // when
        final boolean expiredWhileOpen = rules.isExpired(state, last + 10 * HOUR, Scope.IP);
        rules.onIdle(state, last + 16 * MINUTE);

        // then
        assertThat(state.lastSeen()).isEqualTo(last);
        assertThat(expiredWhileOpen).isFalse();
        assertThat(rules.isExpired(state, last + 10 * MINUTE + 20 * SECOND + 5 * MINUTE, Scope.IP)).isFalse();
        assertThat(rules.isExpired(state, last + 10 * MINUTE + 20 * SECOND + 5 * MINUTE + 1, Scope.IP)).isTrue();
        assertThat(rules.isExpired(state, last + 10 * MINUTE + HOUR, Scope.CLIENT)).isFalse();
        assertThat(rules.isExpired(state, last + 10 * MINUTE + HOUR + 1, Scope.CLIENT)).isTrue();
    }

    // ---------------------------------------------------------------- codec

    @Test
    void shouldRoundTripStateWithOpenBurstAndCrawlEpisodesToIdenticalBytes() {
        // given
        final ActivityState original = stateWithOpenBurstAndCrawl();

        // when
        final byte[] encoded = ActivityStateCodec.encode(original);
        final ActivityState decoded = ActivityStateCodec.decode(encoded);

        // then
        assertThat(ActivityStateCodec.encode(decoded)).isEqualTo(encoded);
        assertThat(decoded.lastSeen()).isEqualTo(original.lastSeen());
        assertThat(decoded.hasOpenEpisode()).isTrue();
        assertThat(decoded.burst).isNotNull();
        assertThat(decoded.crawl).isNotNull();
        assertThat(snapshot(-1, new Signal(Signal.Rule.BURST, true, decoded.burst)))
                .isEqualTo(snapshot(-1, new Signal(Signal.Rule.BURST, true, original.burst)));
        assertThat(snapshot(-1, new Signal(Signal.Rule.CRAWL, true, decoded.crawl)))
                .isEqualTo(snapshot(-1, new Signal(Signal.Rule.CRAWL, true, original.crawl)));
    }

    @Test
    void shouldBehaveLikeTheOriginalAfterDecoding() {
        // given
        final ActivityState original = stateWithOpenBurstAndCrawl();
        final ActivityState decoded = ActivityStateCodec.decode(ActivityStateCodec.encode(original));
        final long last = original.lastSeen();
        final List<Hit> continuation = new ArrayList<>(steadyCrawl(last + 6 * MINUTE, 10, 15 * SECOND));
        continuation.addAll(distinctPagesOverSpan(last + 20 * MINUTE, 45, 9 * SECOND));

        // when
        final List<Fired> onOriginal = feed(original, continuation, Scope.CLIENT);
        onOriginal.addAll(snapshots(rules.onIdle(original, last + 5 * HOUR)));
        final List<Fired> onDecoded = feed(decoded, continuation, Scope.CLIENT);
        onDecoded.addAll(snapshots(rules.onIdle(decoded, last + 5 * HOUR)));

        // then: the first continuation hit closes the burst, the later burst opens and closes a new one,
        // and the crawl closes on idle, with the same evidence on both states
        assertThat(onDecoded).isEqualTo(onOriginal);
        assertThat(onOriginal).extracting(Fired::rule, Fired::open).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Signal.Rule.BURST, false),
                org.assertj.core.groups.Tuple.tuple(Signal.Rule.BURST, true),
                org.assertj.core.groups.Tuple.tuple(Signal.Rule.BURST, false),
                org.assertj.core.groups.Tuple.tuple(Signal.Rule.CRAWL, false));
        assertThat(onOriginal.get(0).index()).isZero();
        assertThat(onOriginal.get(0).requests()).isEqualTo(40);
        assertThat(onOriginal.get(0).distinctPages()).isEqualTo(40);
        assertThat(onOriginal.get(0).roles()).containsExactly("unknown");
        assertThat(onOriginal.get(3).users()).containsExactly(7L);
        assertThat(onOriginal.get(3).cohorts()).containsExactly(3);
        assertThat(onOriginal.get(3).roles()).containsExactly("student", "unknown");
    }

    @Test
    void shouldKeepCrawlWindowAndBehaviourWhenRoundTrippingStateWhoseCrawlWindowShrank() {
        // given: 800 pages in 80 s, then, 70 minutes later, 40 pages one per second (the 800 have left the window)
        final ActivityState original = new ActivityState();
        feed(original, distinctPagesOverSpan(T0, 800, 80 * SECOND), Scope.CLIENT);
        feed(original, steadyCrawl(T0 + 70 * MINUTE, 40, SECOND), Scope.CLIENT);
        final List<Hit> continuation = distinctPagesOverSpan(T0 + 75 * MINUTE, 45, 9 * SECOND);

        // when
        final ActivityState decoded = ActivityStateCodec.decode(ActivityStateCodec.encode(original));
        // (equal states encode to equal bytes, whatever the history of their hash maps)
        assertThat(ActivityStateCodec.encode(decoded)).isEqualTo(ActivityStateCodec.encode(original));
        final List<Fired> onOriginal = feed(original, continuation, Scope.CLIENT);
        onOriginal.addAll(snapshots(rules.onIdle(original, T0 + 5 * HOUR)));
        final List<Fired> onDecoded = feed(decoded, continuation, Scope.CLIENT);
        onDecoded.addAll(snapshots(rules.onIdle(decoded, T0 + 5 * HOUR)));

        // then
        assertThat(onDecoded).isEqualTo(onOriginal);
        assertThat(onOriginal).extracting(Fired::rule, Fired::open).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Signal.Rule.BURST, true),
                org.assertj.core.groups.Tuple.tuple(Signal.Rule.BURST, false));
        assertThat(decoded.crawlPages).isEqualTo(original.crawlPages);
        assertThat(decoded.slotIds).isDeepEqualTo(original.slotIds);
        assertThat(decoded.slotCounts).isDeepEqualTo(original.slotCounts);
    }

    @Test
    void shouldNotFlagACrowdedLabWhoseManyPagesComeFromManyUsers() {
        // given 80 students behind one address, each opening a different lesson within 16 seconds
        final ActivityState nat = new ActivityState();
        final List<Hit> lab = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            lab.add(hit(T0 + i * 200L, "lab/exercise-" + i, 500 + i, 29));
        }

        // when / then: 80 distinct pages, but one per user, far below 10 per user
        assertThat(feed(nat, lab, Scope.IP)).isEmpty();
    }

    @Test
    void shouldFlagAFewUsersSharingAnAddressWhoOpenManyPagesEach() {
        // given three users behind one address opening 40 distinct lessons in 8 seconds
        final ActivityState nat = new ActivityState();
        final List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            hits.add(hit(T0 + i * 200L, "scraped/page-" + i, 700 + i % 3, 29));
        }

        // when
        final List<Fired> fired = feed(nat, hits, Scope.IP);

        // then it fires on the 30th distinct page: 30 >= 10 per user for 3 users
        assertThat(fired).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(29);
            assertThat(f.users()).containsExactly(700L, 701L, 702L);
        });
    }

    @Test
    void shouldReadAVersionOneStateWrittenBeforeScalesAndAddresses() throws java.io.IOException {
        // given the bytes a detector of version 1 wrote: one request in the burst window, one crawl ring of two slots
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(T0);
            out.writeInt(1);
            out.writeLong(T0);
            out.writeUTF("java-ii/arrays");
            out.writeLong(341L);
            out.writeInt(29);
            out.writeUTF("student");
            out.writeBoolean(false);
            out.writeInt(1);
            out.writeLong(Lessons.hash("java-ii/arrays"));
            out.writeLong(T0);
            out.writeInt(2);
            out.writeLong(7L);
            out.writeInt(1);
            out.writeLong(Long.MIN_VALUE);
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("java-ii/arrays");
            out.writeBoolean(false);
        }

        // when
        final ActivityState state = ActivityStateCodec.decode(bytes.toByteArray());

        // then
        assertThat(state.lastSeen()).isEqualTo(T0);
        assertThat(state.burstWindow).containsExactly(new Hit(T0, "java-ii/arrays", null, 341L, 29, "student"));
        assertThat(state.crawlPages).containsEntry(Lessons.hash("java-ii/arrays"), T0);
        assertThat(state.slotIds).isDeepEqualTo(new long[][] {{7L, Long.MIN_VALUE}});
        assertThat(state.recentLessons).containsExactly("java-ii/arrays");
        assertThat(state.hasOpenEpisode()).isFalse();
        assertThat(ActivityStateCodec.decode(ActivityStateCodec.encode(state)).burstWindow).isEqualTo(state.burstWindow);
    }

    @Test
    void shouldRoundTripEmptyState() {
        // given
        final ActivityState empty = new ActivityState();

        // when
        final byte[] encoded = ActivityStateCodec.encode(empty);
        final ActivityState decoded = ActivityStateCodec.decode(encoded);

        // then
        assertThat(ActivityStateCodec.encode(decoded)).isEqualTo(encoded);
        assertThat(decoded.lastSeen()).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.hasOpenEpisode()).isFalse();
    }

    // ---------------------------------------------------------------- test data

    /** A steady crawl for 55 minutes (the crawl episode opens at 49m45s), then, 25 s later, 40 new pages in 10 s. */
    private ActivityState stateWithOpenBurstAndCrawl() {
        final ActivityState state = new ActivityState();
        final List<Hit> hits = new ArrayList<>(steadyCrawl(T0, 221, 15 * SECOND));
        final long burstStart = T0 + 55 * MINUTE + 25 * SECOND;
        for (int i = 0; i < 40; i++) {
            hits.add(hit(burstStart + i * 250L, "burst/page-" + i));
        }
        final List<Fired> fired = feed(state, hits, Scope.CLIENT);
        assertThat(fired).extracting(Fired::rule).containsExactlyInAnyOrder(Signal.Rule.CRAWL, Signal.Rule.BURST);
        assertThat(fired).allMatch(Fired::open);
        return state;
    }

    private List<Signal> onHit(final ActivityState state, final Hit hit, final Scope scope) {
        return rules.onHit(state, hit, scope);
    }

    private List<Fired> feed(final ActivityState state, final List<Hit> hits, final Scope scope) {
        return feed(rules, state, hits, scope);
    }

    private static List<Fired> feed(final MachineSpeedRules with, final ActivityState state, final List<Hit> hits, final Scope scope) {
        final List<Fired> fired = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            for (final Signal signal : with.onHit(state, hits.get(i), scope)) {
                fired.add(snapshot(i, signal));
            }
        }
        return fired;
    }

    private static List<Fired> snapshots(final List<Signal> signals) {
        final List<Fired> fired = new ArrayList<>();
        for (final Signal signal : signals) {
            fired.add(snapshot(-1, signal));
        }
        return fired;
    }

    /** Copies a signal's evidence at the moment it is returned (an open episode keeps growing afterwards). */
    private static Fired snapshot(final int index, final Signal signal) {
        final Episode e = signal.episode();
        return new Fired(index, signal.rule(), signal.open(), e.detectedAt(), e.start(), e.end(), e.requests(),
                e.distinctPages(), e.users(), e.cohorts(), e.roles(), e.sample(), e.scale(), e.secondsPerPageAtOpen(), e.ips());
    }

    /** {@code count} distinct lessons, evenly spread from {@code start} to {@code start + span}. */
    private static List<Hit> distinctPagesOverSpan(final long start, final int count, final long span) {
        final List<Hit> hits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hits.add(hit(start + i * span / (count - 1), lesson(i)));
        }
        return hits;
    }

    /** {@code count} distinct lessons of one user, one every {@code every} milliseconds. */
    private static List<Hit> steadyCrawl(final long start, final int count, final long every) {
        final List<Hit> hits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hits.add(hit(start + i * every, "crawl/page-" + (start / every) + "-" + i, 7L, 3));
        }
        return hits;
    }

    private static Hit hit(final long time, final String lesson) {
        return new Hit(time, lesson, "72.191.33.138", null, null, "unknown");
    }

    private static Hit hit(final long time, final String lesson, final long userId, final int cohortId) {
        return new Hit(time, lesson, "72.191.33.138", userId, cohortId, "student");
    }

    private static String lesson(final int i) {
        return "java-ii/lesson-" + i;
    }

    private record Fired(int index, Signal.Rule rule, boolean open, long detectedAt, long start, long end,
                         long requests, int distinctPages, List<Long> users, List<Integer> cohorts,
                         List<String> roles, List<String> sample, int scale, double secondsPerPage, List<String> ips) {
    }
}
