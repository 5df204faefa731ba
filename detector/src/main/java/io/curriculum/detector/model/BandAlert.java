package io.curriculum.detector.model;

import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandSignal;
import io.curriculum.detector.detect.BandStats;
import io.curriculum.detector.detect.LessonBands;
import java.time.Instant;

/**
 * A lesson-band breach: one lesson's (or, with {@code lesson = "*"}, a whole program's) access count in one window
 * outside its band; value of the lesson-band topic.
 *
 * <ul>
 *   <li>{@code rule}: {@code band-spike} or {@code band-drop}; {@code model}: {@code sqrt} or {@code bollinger}.</li>
 *   <li>{@code status}: a spike is {@code open} when the access that lifts the count above {@code upper} arrives, then
 *   {@code closed} with the final count when the window closes, or {@code retracted} when the final count lies within the
 *   band after all (the whole program rose with it). A drop is {@code closed}: it is known when its window closes.</li>
 *   <li>{@code count} in {@code windowStart..windowEnd} against {@code expected} and the bounds {@code lower..upper};
 *   {@code score}: how far the count lies from the expected value, in spreads (negative below), on the model's scale.</li>
 *   <li>{@code programCount}: the program's count in the window (so far, for an open spike); {@code programActivity}: how
 *   much the program read that window against its usual (1: as usual; the weighted median over its lessons), what a
 *   lesson's usual count is scaled by to give {@code expected}; both null for a program's own series.</li>
 *   <li>{@code mean} and {@code stddev} of the {@code historyWindows} preceding windows of the same weekly phase; the
 *   band is {@code k} spreads wide of the expected value.</li>
 *   <li>A drop episode (consecutive low windows of the series) is one alert, updated with each further low window: its
 *   id ends with {@code since}, the first low window's start; {@code episodeWindows} low windows so far, with
 *   {@code episodeCount} hits where {@code episodeExpected} were expected. A spike is an episode of one window.</li>
 *   <li>{@code ruleId}: {@code lesson-band}, the rule as the rules topic keys it; {@code ruleVersion} the version of it in force
 *   (0: the configuration's values); {@code simulated}: the rule's record in force is marked {@code simulate}, the alert went
 *   to the simulation topic only.</li>
 * </ul>
 */
public record BandAlert(
        String alertId,
        String rule,
        String status,
        String model,
        int programId,
        String program,
        String lesson,
        Instant windowStart,
        Instant windowEnd,
        long count,
        double expected,
        double lower,
        double upper,
        double score,
        Long programCount,
        Double programActivity,
        double mean,
        double stddev,
        double k,
        int historyWindows,
        Instant since,
        int episodeWindows,
        long episodeCount,
        double episodeExpected,
        Instant detectedAt,
        String ruleId,
        long ruleVersion,
        boolean simulated) implements AlertRecord {

    /** The rule id every band alert names. */
    public static final String RULE_ID = "lesson-band";

    /**
     * The alert of one band signal, its figures rounded to hundredths: what the topology forwards, and what any tool that
     * runs {@link LessonBands} over a file reports, with the same code.
     */
    public static BandAlert of(final BandRule rule, final LessonBands.Keyed keyed) {
        final BandSignal signal = keyed.signal();
        final BandStats stats = signal.stats();
        final String kind = signal.spike() ? "band-spike" : "band-drop";
        final Instant since = rule.windowStart(signal.sinceWindow());
        final String alertId = new BandAlertId(kind, keyed.programId(), keyed.lesson(), since).text();
        return new BandAlert(alertId, kind, signal.status(), stats.model().label(), keyed.programId(), Program.name(keyed.programId()),
                keyed.lesson(), rule.windowStart(signal.windowIndex()), rule.windowEnd(signal.windowIndex()), signal.count(),
                round(stats.expected()), round(stats.lower()), round(stats.upper()), round(stats.score(signal.count())),
                signal.programCount() < 0 ? null : signal.programCount(), signal.programCount() < 0 ? null : round(stats.programFactor()),
                round(stats.mean()), round(stats.stddev()), stats.k(),
                stats.historyWindows(), since, signal.episodeWindows(), signal.episodeCount(), round(signal.episodeExpected()),
                Instant.ofEpochMilli(keyed.detectedAt()), RULE_ID, 0, false);
    }

    /** The same alert raised by version {@code version} of its rule, simulated or live. */
    public BandAlert withRule(final long version, final boolean simulate) {
        return new BandAlert(alertId, rule, status, model, programId, program, lesson, windowStart, windowEnd, count, expected, lower, upper, score,
                programCount, programActivity, mean, stddev, k, historyWindows, since, episodeWindows, episodeCount, episodeExpected, detectedAt,
                ruleId, version, simulate);
    }

    /** Rounded to hundredths, as every figure of a band alert is. */
    public static double round(final double value) {
        return Math.round(value * 100) / 100.0;
    }
}
