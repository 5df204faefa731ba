package io.curriculum.detector.detect;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lesson bands over one series' windowed counts, in event time. Windows are aligned to the campus's wall clock (a
 * daily window is a campus day, 23 or 25 hours long on DST changes). A window closes once the watermark (the newest event
 * time seen) has passed its end plus the grace; closing judges it against the band of its phase ({@link BandStats}) and
 * pushes its count, and the program's activity in the same window, into the history, zeros included for windows without any
 * access. A window of the campus calendar ({@link CampusCalendar}: every day it covers a non-class day) is neither judged
 * nor pushed. Consecutive low windows form one drop episode ({@link BandStats#continuesDrop}: a later window continues it
 * when the episode's total is still below its band), which ends at the first judged window that is not low, or a week
 * after its last low window.
 */
public final class BandRule {

    private final BandSettings settings;
    private final ZoneRules zone;
    private final ZoneId zoneId;
    private final long windowMillis;
    private final long graceMillis;
    private final int phases;
    /** Windows after a drop episode's last low window when it ends, low or not: a week. */
    private final long episodeTimeout;
    /** {@link #isCalendarWindow} of the windows asked so far; the rule is shared by every task of the topology. */
    private final Map<Long, Boolean> calendarWindows = new ConcurrentHashMap<>();

    /** The program's traffic in the windows a lesson closes: what the lesson is judged in proportion to. */
    public interface ProgramWindows {
        /** The program's count in the window. */
        long count(long window);

        /** The program's activity in the window: 1 as usual, 0.1 on a day it reads a tenth of its usual. */
        double factor(long window);
    }

    public BandRule(final BandSettings settings, final ZoneId zone, final Duration grace) {
        this.settings = settings;
        this.zoneId = zone;
        this.zone = zone.getRules();
        this.windowMillis = settings.window().toMillis();
        this.graceMillis = grace.toMillis();
        this.phases = settings.phases();
        this.episodeTimeout = Math.max(1, Duration.ofDays(7).toMillis() / windowMillis);
    }

    public BandSettings settings() {
        return settings;
    }

    public BandSeries newSeries() {
        return new BandSeries(phases, settings.history());
    }

    /** The window an event at {@code epochMillis} falls in. */
    public long windowOf(final long epochMillis) {
        final long offset = zone.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
        return Math.floorDiv(epochMillis + offset, windowMillis);
    }

    /** The newest window that a watermark closes: its end plus the grace lies at or before the watermark. */
    public long lastClosable(final long watermark) {
        return windowOf(watermark - graceMillis) - 1;
    }

    public Instant windowStart(final long window) {
        return localStart(window).atZone(zoneId).toInstant();
    }

    public Instant windowEnd(final long window) {
        return windowStart(window + 1);
    }

    /** True when every campus day the window covers is a non-class day of the calendar: the window is not judged. */
    public boolean isCalendarWindow(final long window) {
        // asked at every access of every series: remembered per window (a few thousand of them over years of days)
        return calendarWindows.computeIfAbsent(window, this::coversOnlyNonClassDays);
    }

    private boolean coversOnlyNonClassDays(final long window) {
        final LocalDate first = localStart(window).toLocalDate();
        final LocalDate last = localStart(window + 1).minusNanos(1).toLocalDate();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            if (!settings.calendar().isNonClassDay(day)) {
                return false;
            }
        }
        return true;
    }

    private LocalDateTime localStart(final long window) {
        return LocalDateTime.ofEpochSecond(Math.multiplyExact(window, windowMillis) / 1000L, 0, ZoneOffset.UTC);
    }

    /**
     * Counts one access at {@code epochMillis} in a series judged on its own; first closes what {@code watermark} closes.
     * Returns the signals, or null when the access falls in a window that is already closed (late for this series).
     */
    public List<BandSignal> onAccess(final BandSeries series, final long epochMillis, final long watermark) {
        return onAccess(series, epochMillis, watermark, null);
    }

    /**
     * As {@link #onAccess(BandSeries, long, long)}, for a lesson of the {@code program} whose series is given (already
     * counted with this access; null: the series is judged on its own). An open window is judged with the program's
     * activity so far, or as usual while that is lower: a lesson read early in the day is not a spike merely because the
     * day's other reading has not happened yet.
     */
    public List<BandSignal> onAccess(final BandSeries series, final long epochMillis, final long watermark, final BandSeries program) {
        final List<BandSignal> signals = closeUpTo(series, lastClosable(watermark), null, null);
        final long window = windowOf(epochMillis);
        if (window <= series.lastClosed) {
            return null;
        }
        int i = series.indexOfOpen(window);
        if (i < 0) {
            i = series.open(window);
        }
        series.openCounts[i]++;
        if (!series.spiked[i] && !isCalendarWindow(window)) {
            final long count = series.openCounts[i];
            double factor = ownFactor(series, window);
            if (program != null) {
                final double programLevel = level(program, window);
                factor = programLevel > 0 ? Math.max(1, program.openCount(window) / programLevel) : 1;
            }
            final BandStats stats = BandStats.of(fit(series, window), factor, settings);
            if (stats.isSpike(count)) {
                series.spiked[i] = true;
                signals.add(BandSignal.spike(BandSignal.OPEN, true, window, count, stats, program == null ? -1 : program.openCount(window)));
            }
        }
        return signals;
    }

    /** Closes every window up to {@code closable}: evaluates it (a spike's final count, or a drop) and records its count. */
    public List<BandSignal> closeUpTo(final BandSeries series, final long closable) {
        return closeUpTo(series, closable, null, null);
    }

    /** What a closed window was judged on: its count and the band of its phase (for charts of a series, not for detection). */
    @FunctionalInterface
    public interface ClosedWindows {
        void closed(long window, long count, BandStats band);
    }

    /**
     * As {@link #closeUpTo(BandSeries, long)}, judging a lesson in proportion to its {@code program}'s traffic (null: on
     * its own), and hands every window it closes to {@code closed} (when not null; a calendar window with an unjudged band).
     */
    public List<BandSignal> closeUpTo(final BandSeries series, final long closable, final ProgramWindows program,
                                      final ClosedWindows closed) {
        final List<BandSignal> signals = new ArrayList<>(0);
        if (series.openWindows.length == 0 && series.lastClosed == Long.MIN_VALUE) {
            return signals;
        }
        long window = series.lastClosed == Long.MIN_VALUE ? series.oldestOpen() : series.lastClosed + 1;
        int quietWindows = 0;
        final int forgetAfter = phases * settings.history();
        while (window <= closable) {
            final int open = series.indexOfOpen(window);
            if (open < 0 && quietWindows >= forgetAfter && series.dropSince == Long.MIN_VALUE) {
                final long nextOpen = series.oldestOpen();
                series.lastClosed = Math.min(closable, nextOpen - 1);
                window = series.lastClosed + 1;
                continue;
            }
            final long count = open < 0 ? 0 : series.openCounts[open];
            if (isCalendarWindow(window)) {
                if (closed != null) {
                    closed.closed(window, count, BandStats.unjudged(settings.model()));
                }
            } else {
                final long programCount = program == null ? -1 : program.count(window);
                final double factor = program == null ? ownFactor(series, window) : program.factor(window);
                judge(series, window, count, programCount, factor, open >= 0 && series.spiked[open], closed, signals);
                series.push(phase(window), count, program == null ? BandSeries.UNKNOWN
                        : (int) Math.min(Integer.MAX_VALUE, Math.round(factor * BandSeries.FACTOR_SCALE)));
            }
            if (open >= 0) {
                series.removeOpen(open);
                quietWindows = 0;
            } else {
                quietWindows++;
            }
            series.lastClosed = window;
            window++;
        }
        return signals;
    }

    private void judge(final BandSeries series, final long window, final long count, final long programCount, final double factor,
                       final boolean spiked, final ClosedWindows closed, final List<BandSignal> signals) {
        final BandStats stats = BandStats.of(fit(series, window), factor, settings);
        if (closed != null) {
            closed.closed(window, count, stats);
        }
        if (spiked) {
            signals.add(BandSignal.spike(stats.isSpike(count) ? BandSignal.CLOSED : BandSignal.RETRACTED, false, window, count, stats, programCount));
        } else if (stats.isSpike(count)) {
            signals.add(BandSignal.spike(BandSignal.CLOSED, true, window, count, stats, programCount));
        }
        final boolean inEpisode = series.dropSince != Long.MIN_VALUE;
        if (stats.isDrop(count) || inEpisode && stats.continuesDrop(count, series.dropCount + count, series.dropExpected + stats.expected())) {
            if (series.dropSince == Long.MIN_VALUE) {
                series.dropSince = window;
                series.dropWindows = 0;
                series.dropCount = 0;
                series.dropExpected = 0;
            }
            series.dropLast = window;
            series.dropWindows++;
            series.dropCount += count;
            series.dropExpected += stats.expected();
            signals.add(new BandSignal(false, BandSignal.CLOSED, series.dropWindows == 1, window, count, stats, programCount,
                    series.dropSince, series.dropWindows, series.dropCount, series.dropExpected));
        } else if (series.dropSince != Long.MIN_VALUE && (stats.judged() || window - series.dropLast >= episodeTimeout)) {
            series.dropSince = Long.MIN_VALUE;
        }
    }

    /**
     * Records {@code count} hits as the whole of {@code window} of a series, unjudged (a calendar window is left out, as
     * the detector leaves it out): for a planner that knows whole days (the history generator), so that its series learn
     * what the detector's will.
     */
    public void record(final BandSeries series, final long window, final long count) {
        if (!isCalendarWindow(window)) {
            series.push(phase(window), count, BandSeries.UNKNOWN);
        }
        series.lastClosed = window;
    }

    /** The band {@code window} of a series is judged against, at the program activity {@code programFactor} (1: as usual). */
    public BandStats band(final BandSeries series, final long window, final double programFactor) {
        return BandStats.of(fit(series, window), programFactor, settings);
    }

    /** What a series judged on its own is scaled by: its recent level with the square-root model, nothing with Bollinger's. */
    private double ownFactor(final BandSeries series, final long window) {
        return settings.model() == BandSettings.Model.SQRT ? fit(series, window).recent() : -1;
    }

    /** The typical count of a series in {@code window} at its program's usual activity: what a lesson is expected to read. */
    public double level(final BandSeries series, final long window) {
        return fit(series, window).level();
    }

    /** The fit of the phase of {@code window}, kept while the window is open (the history changes only when one closes). */
    private BandFit fit(final BandSeries series, final long window) {
        if (series.fitWindow != window || series.fit == null) {
            series.fit = BandFit.of(series, phase(window));
            series.fitWindow = window;
        }
        return series.fit;
    }

    private int phase(final long window) {
        return (int) Math.floorMod(window, (long) phases);
    }
}
