package io.curriculum.app.generate;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.BandSettings;
import io.curriculum.detector.detect.BandStats;
import io.curriculum.detector.detect.Lessons;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Lesson spikes and drops, the anomalies the detector's Bollinger bands must catch. Their days are planned
 * up front (weekdays with at least five preceding same weekdays in the span, never the last day), but their
 * lessons are chosen on the day from the counts generated so far, exactly as the detector will see them
 * (per program of the reader's cohort, per normalised lesson): a spike needs a lesson with at least 20 hits on
 * each of the preceding same weekdays, a drop one with at least 30 and a lower band bound of at least 3, so
 * the anomaly clears the detector's default band (mean ± 3·max(σ, √mean) over up to 8 same weekdays).
 */
final class BandAnomalies {

    private static final int WEEK = 7;
    private static final int MIN_WEEKS = 5;
    private static final int SPIKE_MIN_HITS = 20;
    private static final int DROP_MIN_HITS = 30;

    /** What one day's traffic must do for a band anomaly: add hits to a lesson, or leave it out. */
    record Plan(boolean spike, int program, int lesson, int target, double mean) {
    }

    private final GeneratorSettings settings;
    private final Curriculum curriculum;
    private final BandSettings band = DetectorConfig.defaults().band();
    private final int historyWeeks;
    private final int[][][] counts;
    private final List<Integer> spikeDays = new ArrayList<>();
    private final List<Integer> dropDays = new ArrayList<>();
    private final Set<Integer> usedLessons = new HashSet<>();
    private final List<Label> labels = new ArrayList<>();

    BandAnomalies(final GeneratorSettings settings, final Curriculum curriculum, final int perKind,
                  final SplittableRandom random) {
        this.settings = settings;
        this.curriculum = curriculum;
        this.historyWeeks = band.history();
        this.counts = new int[WEEK * historyWeeks][Curriculum.PROGRAMS][curriculum.lessonCount()];
        final List<Integer> eligible = new ArrayList<>();
        for (int d = WEEK * MIN_WEEKS; d <= settings.days() - 2; d++) {
            if (Population.isWeekday(settings.start().plusDays(d))) {
                eligible.add(d);
            }
        }
        for (int i = 0; i < 2 * perKind && !eligible.isEmpty(); i++) {
            final int day = eligible.remove(random.nextInt(eligible.size()));
            (i % 2 == 0 ? spikeDays : dropDays).add(day);
        }
    }

    /** Keeps a lesson out of the band anomalies (another injection shapes its traffic). */
    void exclude(final int lesson) {
        usedLessons.add(lesson);
    }

    /** Days that carry a band anomaly: other injections stay off them. */
    Set<Integer> days() {
        final Set<Integer> days = new HashSet<>(spikeDays);
        days.addAll(dropDays);
        return days;
    }

    /** The day's band anomaly, chosen from the counts so far, or null when the day has none (or no lesson fits). */
    Plan planFor(final int day, final SplittableRandom random) {
        final boolean spike = spikeDays.contains(day);
        if (!spike && !dropDays.contains(day)) {
            return null;
        }
        final List<Plan> candidates = new ArrayList<>();
        for (int program = 1; program < Curriculum.PROGRAMS; program++) {
            for (final int lesson : curriculum.lessonsOf(program)) {
                if (usedLessons.contains(lesson)) {
                    continue;
                }
                final Plan plan = judge(day, program, lesson, spike, random);
                if (plan != null) {
                    candidates.add(plan);
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        final Plan chosen = candidates.get(random.nextInt(candidates.size()));
        usedLessons.add(chosen.lesson());
        return chosen;
    }

    private Plan judge(final int day, final int program, final int lesson, final boolean spike, final SplittableRandom random) {
        final int weeks = Math.min(historyWeeks, day / WEEK);
        if (weeks < MIN_WEEKS) {
            return null;
        }
        final int[] history = new int[weeks];
        for (int w = 1; w <= weeks; w++) {
            final int count = counts[ring(day - w * WEEK)][program][lesson];
            if (count < (spike ? SPIKE_MIN_HITS : DROP_MIN_HITS)) {
                return null;
            }
            history[weeks - w] = count;
        }
        final BandStats stats = BandStats.of(history, weeks, band);
        if (!stats.judged()) {
            return null;
        }
        if (spike) {
            final int target = (int) Math.ceil(stats.mean() * (6 + 3 * random.nextDouble()));
            return target > stats.upper() + 5 ? new Plan(true, program, lesson, target, stats.mean()) : null;
        }
        return stats.lower() >= 3 ? new Plan(false, program, lesson, 0, stats.mean()) : null;
    }

    /** Rows the day's normal traffic should leave for a spike's extra hits. */
    static long reserved(final Plan plan) {
        return plan == null || !plan.spike() ? 0 : Math.max(0, Math.round(plan.target() - plan.mean()));
    }

    /** Records the finished day's lesson counts (per reader's program) and labels its band anomaly. */
    void dayDone(final int day, final DayRows rows, final Plan plan, final long injected) {
        final int[][] today = counts[ring(day)];
        for (final int[] program : today) {
            Arrays.fill(program, 0);
        }
        for (int i = 0; i < rows.size(); i++) {
            final int lesson = rows.lesson(i);
            if (lesson >= 0) {
                today[rows.user(i).programId()][lesson]++;
            }
        }
        if (plan != null) {
            final LocalDate date = settings.start().plusDays(day);
            final ZoneId zone = settings.zone();
            labels.add(new Label(null, plan.spike() ? AnomalyKind.LESSON_SPIKE : AnomalyKind.LESSON_DROP, Label.ALERT,
                    plan.spike() ? "band-spike" : "band-drop", null, null, null, null, plan.program(),
                    Lessons.normalize(curriculum.lesson(plan.lesson())),
                    date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant(), injected));
        }
    }

    int count(final int day, final int program, final int lesson) {
        return counts[ring(day)][program][lesson];
    }

    List<Label> labels() {
        return labels;
    }

    private int ring(final int day) {
        return Math.floorMod(day, WEEK * historyWeeks);
    }
}
