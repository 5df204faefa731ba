package io.curriculum.detector.detect;

import io.curriculum.detector.model.LessonKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The lesson bands of every series of the programs one task sees: a series per lesson of a program
 * ({@code <programId>|<lesson>}) and one of the whole program ({@code <programId>|*}). Each hit counts in both; the
 * program is judged on its own, a lesson in proportion to its program's activity in the same window (how much the
 * program's lessons read against their usual), so a day on which the whole program is quiet is one program-level drop,
 * not a drop of every lesson. The hit that makes a window closable
 * closes it in every series first, program before its lessons (a lesson with no hit at all that day is closed too: a
 * drop to zero is the clearest drop), and forgets series whose history is all zeros.
 *
 * <p>The same code runs in the topology, in the report's band charts and in tests; the {@link Store} is where the series
 * live (a state store there, a map here).
 */
public final class LessonBands {

    /** The lesson name of a program's series of all its lessons together. */
    public static final String WHOLE_PROGRAM = LessonKey.WHOLE_PROGRAM;

    /** Where the series live. */
    public interface Store {
        BandSeries get(String key);

        void put(String key, BandSeries series);

        void delete(String key);

        /** Every key, in key order (the order sweeps close series in, so the same input gives the same alerts in the same order). */
        List<String> keys();

        /** The series in heap, in a sorted map: for tools and tests that run the bands over a file. */
        static Store inMemory() {
            final TreeMap<String, BandSeries> series = new TreeMap<>();
            return new Store() {
                @Override
                public BandSeries get(final String key) {
                    return series.get(key);
                }

                @Override
                public void put(final String key, final BandSeries value) {
                    series.put(key, value);
                }

                @Override
                public void delete(final String key) {
                    series.remove(key);
                }

                @Override
                public List<String> keys() {
                    return new ArrayList<>(series.keySet());
                }
            };
        }
    }

    /** A band signal of one series; {@code detectedAt} is the event time of the hit that raised it. */
    public record Keyed(int programId, String lesson, BandSignal signal, long detectedAt) {

        public String series() {
            return key(programId, lesson);
        }
    }

    /** What one hit produced: the signals, and whether the hit itself came too late to be counted. */
    public record Outcome(List<Keyed> signals, boolean late) {
    }

    /** Every window a sweep closes, per series: what a band chart draws. */
    @FunctionalInterface
    public interface Closed {
        void closed(String series, long window, long count, BandStats band);
    }

    private BandRule rule;
    private final Store store;
    private final Predicate<String> tracked;
    private final Closed closed;
    private long watermark = Long.MIN_VALUE;
    private long sweptUpTo = Long.MIN_VALUE;

    /**
     * Judges from now on by {@code rule} (a rule record put in force): the series kept stay as they are, so the new rule must
     * have the same window, history and weekly phases.
     */
    public void use(final BandRule rule) {
        this.rule = rule;
    }

    /** Bands of every lesson. */
    public LessonBands(final BandRule rule, final Store store) {
        this(rule, store, key -> true, null);
    }

    /** Bands of the lessons {@code tracked} accepts (and of every program), each closed window handed to {@code closed}. */
    public LessonBands(final BandRule rule, final Store store, final Predicate<String> tracked, final Closed closed) {
        this.rule = rule;
        this.store = store;
        this.tracked = tracked;
        this.closed = closed;
    }

    /** The series key of a lesson, {@link LessonKey#text()}. */
    public static String key(final int programId, final String lesson) {
        return new LessonKey(programId, lesson).text();
    }

    /** The program of a series key. */
    public static int programOf(final String key) {
        return LessonKey.parse(key).programId();
    }

    /** The lesson of a series key, {@link #WHOLE_PROGRAM} for a program's own series. */
    public static String lessonOf(final String key) {
        return LessonKey.parse(key).lesson();
    }

    public BandRule rule() {
        return rule;
    }

    /** The newest event time seen. */
    public long watermark() {
        return watermark;
    }

    /** Counts a hit of {@code lesson} in {@code programId} at {@code time} in the lesson's and the program's series. */
    public Outcome onHit(final int programId, final String lesson, final long time) {
        watermark = Math.max(watermark, time);
        final List<Keyed> signals = sweep(rule.lastClosable(watermark));
        if (rule.windowOf(time) <= sweptUpTo) {
            return new Outcome(signals, true);
        }
        final String programKey = key(programId, WHOLE_PROGRAM);
        final BandSeries program = getOrNew(programKey);
        final List<BandSignal> programSignals = rule.onAccess(program, time, watermark);
        if (programSignals == null) {
            return new Outcome(signals, true);
        }
        store.put(programKey, program);
        add(signals, programId, WHOLE_PROGRAM, programSignals, time);
        final String lessonKey = key(programId, lesson);
        if (tracked.test(lessonKey)) {
            final BandSeries series = getOrNew(lessonKey);
            final List<BandSignal> lessonSignals = rule.onAccess(series, time, watermark, program);
            if (lessonSignals != null) {
                store.put(lessonKey, series);
                add(signals, programId, lesson, lessonSignals, time);
            }
        }
        return new Outcome(signals, false);
    }

    /** Closes every window that a watermark of {@code until} closes: at the end of an input, e.g. its last event time plus a window and the grace. */
    public List<Keyed> closeAll(final long until) {
        return sweep(rule.lastClosable(until));
    }

    private List<Keyed> sweep(final long closable) {
        if (closable <= sweptUpTo) {
            return new ArrayList<>(2);
        }
        sweptUpTo = closable;
        final List<Keyed> signals = new ArrayList<>();
        final List<String> keys = store.keys();
        int i = 0;
        while (i < keys.size()) {
            final int programId = programOf(keys.get(i));
            int end = i;
            while (end < keys.size() && programOf(keys.get(end)) == programId) {
                end++;
            }
            final BandSeries program = store.get(key(programId, WHOLE_PROGRAM));
            final List<BandSeries> lessons = new ArrayList<>(end - i);
            for (int k = i; k < end; k++) {
                if (!WHOLE_PROGRAM.equals(lessonOf(keys.get(k)))) {
                    lessons.add(store.get(keys.get(k)));
                }
            }
            final BandRule.ProgramWindows programWindows = programWindows(program, lessons, closable);
            if (program != null) {
                close(programId, WHOLE_PROGRAM, program, closable, null, signals);
            }
            for (int k = i; k < end; k++) {
                final String lesson = lessonOf(keys.get(k));
                if (!WHOLE_PROGRAM.equals(lesson)) {
                    close(programId, lesson, store.get(keys.get(k)), closable, programWindows, signals);
                }
            }
            i = end;
        }
        return signals;
    }

    /**
     * The program's count and activity in each window a sweep closes, taken before any series is closed. The activity is
     * the weighted median, over the program's lessons with a level of at least one hit, of each lesson's count over its
     * level (weights: the levels), so one lesson's spike or drop does not move what the others are expected to read; with
     * fewer than {@value #MEDIAN_LESSONS} such lessons, the program's count over its own level. A window without any hit of
     * the program has activity 0: the program's own series judges it.
     */
    private BandRule.ProgramWindows programWindows(final BandSeries program, final List<BandSeries> lessons, final long closable) {
        final int open = program == null ? 0 : program.openWindows.length;
        final long[] windows = new long[open];
        final long[] counts = new long[open];
        final double[] factors = new double[open];
        for (int w = 0; w < open; w++) {
            windows[w] = program.openWindows[w];
            counts[w] = program.openCounts[w];
            factors[w] = windows[w] <= closable ? activity(program, lessons, windows[w], counts[w]) : 1;
        }
        return new BandRule.ProgramWindows() {
            @Override
            public long count(final long window) {
                for (int w = 0; w < windows.length; w++) {
                    if (windows[w] == window) {
                        return counts[w];
                    }
                }
                return 0;
            }

            @Override
            public double factor(final long window) {
                for (int w = 0; w < windows.length; w++) {
                    if (windows[w] == window) {
                        return factors[w];
                    }
                }
                return 0;
            }
        };
    }

    private static final int MEDIAN_LESSONS = 3;

    private double activity(final BandSeries program, final List<BandSeries> lessons, final long window, final long programCount) {
        final double[] ratios = new double[lessons.size()];
        final double[] weights = new double[lessons.size()];
        int n = 0;
        double total = 0;
        for (final BandSeries lesson : lessons) {
            final double level = rule.level(lesson, window);
            if (level >= 1) {
                ratios[n] = lesson.openCount(window) / level;
                weights[n] = level;
                total += level;
                n++;
            }
        }
        if (n < MEDIAN_LESSONS) {
            final double level = rule.level(program, window);
            return level > 0 ? programCount / level : 1;
        }
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(ratios[a], ratios[b]));
        double cumulative = 0;
        for (final int i : order) {
            cumulative += weights[i];
            if (cumulative >= total / 2) {
                return ratios[i];
            }
        }
        return ratios[order[n - 1]];
    }

    private void close(final int programId, final String lesson, final BandSeries series, final long closable,
                       final BandRule.ProgramWindows programWindows, final List<Keyed> signals) {
        final String key = key(programId, lesson);
        final long closedBefore = series.lastClosed();
        final List<BandSignal> closing = rule.closeUpTo(series, closable, programWindows,
                closed == null ? null : (window, count, band) -> closed.closed(key, window, count, band));
        add(signals, programId, lesson, closing, watermark);
        if (series.isEmpty()) {
            store.delete(key);
        } else if (series.lastClosed() != closedBefore || !closing.isEmpty()) {
            store.put(key, series);
        }
    }

    private BandSeries getOrNew(final String key) {
        final BandSeries known = store.get(key);
        return known == null ? rule.newSeries() : known;
    }

    private static void add(final List<Keyed> to, final int programId, final String lesson, final List<BandSignal> signals, final long at) {
        for (final BandSignal signal : signals) {
            to.add(new Keyed(programId, lesson, signal, at));
        }
    }
}
