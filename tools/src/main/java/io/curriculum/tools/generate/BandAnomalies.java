package io.curriculum.tools.generate;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.BandSeries;
import io.curriculum.detector.detect.BandSettings;
import io.curriculum.detector.detect.BandStats;
import io.curriculum.detector.detect.CampusCalendar;
import io.curriculum.detector.detect.Lessons;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Lesson spikes and drops, the anomalies the detector's lesson bands must catch. Their days are planned up front
 * (class days, holidays left out, with at least five preceding same weekdays in the span, never the last two days;
 * three times as many days as anomalies are wanted, the first that have a busy enough lesson are used): a
 * spike lifts one lesson to 4 to 9 times its usual count for a day; a drop takes a lesson away for one day, or for
 * two to four consecutive class days of one week (one episode). Their lessons are chosen on the first day from the
 * counts generated so far, exactly as the detector will see them (per program of the reader's cohort, per normalised
 * lesson), judged with the detector's own band code ({@link BandRule}, default settings, holidays left out): a spike
 * needs a lesson with five weeks of history and a usual count of at least 12, a drop one whose band on every day of the
 * episode has a lower bound of at least 3, so the anomaly clears the detector's default band.
 */
final class BandAnomalies {

    private static final int WEEK = 7;
    private static final int MIN_WEEKS = 5;
    private static final double SPIKE_MIN_MEAN = 12;
    private static final double DROP_MIN_LOWER = 3;
    private static final double DROP_MIN_MEAN = 12;

    /** What one day's traffic must do for a band anomaly: add hits to a lesson, or leave it out ({@code days} class days from {@code firstDay}). */
    record Plan(boolean spike, int program, int lesson, int target, double mean, int firstDay, int days) {
    }

    private final GeneratorSettings settings;
    private final Curriculum curriculum;
    private final BandSettings band = DetectorConfig.defaults().band();
    /** Each program's lessons' daily counts as the detector's bands learn them, judged with the detector's own code. */
    private final BandRule rule = new BandRule(band, DetectorConfig.defaults().campusZone(), DetectorConfig.defaults().grace());
    private final BandSeries[][] series;
    private final int historyWeeks;
    private final int[][][] counts;
    /** Days planned per anomaly wanted: a busy enough lesson is not found on every day, the first ones that have one are used. */
    private static final int CANDIDATE_DAYS = 3;

    private final int perKind;
    private int spikes;
    private int drops;
    private final List<Integer> spikeDays = new ArrayList<>();
    /** First day of each drop and its length in class days. */
    private final Map<Integer, Integer> dropDays = new HashMap<>();
    /** The drop under way on each later day of a multi-day drop. */
    private final Map<Integer, Plan> continuing = new HashMap<>();
    private final CampusCalendar calendar = CampusCalendar.defaults();
    private final Set<Integer> usedLessons = new HashSet<>();
    private final List<Label> labels = new ArrayList<>();

    BandAnomalies(final GeneratorSettings settings, final Curriculum curriculum, final int perKind,
                  final SplittableRandom random) {
        this.settings = settings;
        this.curriculum = curriculum;
        this.historyWeeks = band.history();
        this.counts = new int[WEEK * historyWeeks][Curriculum.PROGRAMS][curriculum.lessonCount()];
        this.series = new BandSeries[Curriculum.PROGRAMS][curriculum.lessonCount()];
        final List<Integer> eligible = new ArrayList<>();
        for (int d = WEEK * MIN_WEEKS; d <= settings.days() - 3; d++) {
            if (isClassDay(d)) {
                eligible.add(d);
            }
        }
        final Set<Integer> taken = new HashSet<>();
        this.perKind = perKind;
        for (int i = 0; i < 2 * CANDIDATE_DAYS * perKind && !eligible.isEmpty(); i++) {
            final int day = eligible.remove(random.nextInt(eligible.size()));
            if (i % 2 == 0) {
                spikeDays.add(day);
                taken.add(day);
                continue;
            }
            // every other drop lasts two to four class days of one week, as long as its week allows
            int days = (i / 2) % 2 == 0 ? 1 : 2 + random.nextInt(3);
            while (days > 1 && !fits(day, days, taken)) {
                days--;
            }
            if (!fits(day, days, taken)) {
                continue;
            }
            dropDays.put(day, days);
            for (int j = 0; j < days; j++) {
                taken.add(day + j);
                eligible.remove(Integer.valueOf(day + j));
            }
        }
    }

    private boolean isClassDay(final int day) {
        final LocalDate date = settings.start().plusDays(day);
        return Population.isWeekday(date) && !calendar.isNonClassDay(date);
    }

    /** Whether {@code days} class days from {@code day} lie in one week, clear of holidays and of other anomalies' days. */
    private boolean fits(final int day, final int days, final Set<Integer> taken) {
        final LocalDate first = settings.start().plusDays(day);
        if (first.getDayOfWeek().getValue() + days - 1 > 5 || day + days > settings.days() - 2) {
            return false;
        }
        for (int j = 0; j < days; j++) {
            if (!isClassDay(day + j) || taken.contains(day + j)) {
                return false;
            }
        }
        return true;
    }

    /** Keeps a lesson out of the band anomalies (another injection shapes its traffic). */
    void exclude(final int lesson) {
        usedLessons.add(lesson);
    }

    /** Days that carry a band anomaly: other injections stay off them. */
    Set<Integer> days() {
        final Set<Integer> days = new HashSet<>(spikeDays);
        dropDays.forEach((first, length) -> {
            for (int j = 0; j < length; j++) {
                days.add(first + j);
            }
        });
        return days;
    }

    /** The day's band anomaly, chosen from the counts so far, or null when the day has none (or no lesson fits). */
    Plan planFor(final int day, final SplittableRandom random) {
        if (continuing.containsKey(day)) {
            return continuing.get(day);
        }
        final boolean spike = spikeDays.contains(day);
        if (!spike && !dropDays.containsKey(day) || (spike ? spikes : drops) >= perKind) {
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
        if (spike) {
            spikes++;
        } else {
            drops++;
        }
        for (int j = 1; j < chosen.days(); j++) {
            continuing.put(day + j, chosen);
        }
        return chosen;
    }

    private Plan judge(final int day, final int program, final int lesson, final boolean spike, final SplittableRandom random) {
        final BandSeries history = series[program][lesson];
        if (history == null) {
            return null;
        }
        final int days = spike ? 1 : dropDays.get(day);
        BandStats first = null;
        for (int j = 0; j < days; j++) {
            final BandStats stats = rule.band(history, window(day + j), 1);
            if (!stats.judged() || stats.historyWindows() < MIN_WEEKS || stats.mean() < (spike ? SPIKE_MIN_MEAN : DROP_MIN_MEAN)
                    || !spike && stats.lower() < DROP_MIN_LOWER) {
                return null;
            }
            first = first == null ? stats : first;
        }
        if (spike) {
            final int target = (int) Math.ceil(first.expected() * (4 + 5 * random.nextDouble()));
            return target > first.upper() + 5 ? new Plan(true, program, lesson, target, first.expected(), day, 1) : null;
        }
        return new Plan(false, program, lesson, 0, first.expected(), day, days);
    }

    /** The detector's window of a generated day (the campus day). */
    private long window(final int day) {
        return rule.windowOf(settings.start().plusDays(day).atTime(12, 0).atZone(settings.zone()).toInstant().toEpochMilli());
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
        final long window = window(day);
        for (int program = 0; program < today.length; program++) {
            for (int lesson = 0; lesson < today[program].length; lesson++) {
                if (series[program][lesson] == null && today[program][lesson] > 0) {
                    series[program][lesson] = rule.newSeries();
                }
                if (series[program][lesson] != null) {
                    rule.record(series[program][lesson], window, today[program][lesson]);
                }
            }
        }
        if (plan != null && plan.firstDay() == day) {
            final LocalDate date = settings.start().plusDays(day);
            final ZoneId zone = settings.zone();
            labels.add(new Label(null, plan.spike() ? AnomalyKind.LESSON_SPIKE : AnomalyKind.LESSON_DROP, Label.ALERT,
                    plan.spike() ? "band-spike" : "band-drop", null, null, null, null, plan.program(),
                    Lessons.normalize(curriculum.lesson(plan.lesson())),
                    date.atStartOfDay(zone).toInstant(), date.plusDays(plan.days()).atStartOfDay(zone).toInstant(), injected));
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
