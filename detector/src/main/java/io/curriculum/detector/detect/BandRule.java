package io.curriculum.detector.detect;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Bollinger bands over one series' windowed counts, in event time. Windows are aligned to the campus's
 * wall clock (a daily window is a campus day, 23 or 25 hours long on DST changes). A window closes once the
 * watermark (the newest event time seen) has passed its end plus the grace; closing evaluates it against the
 * band of its phase and pushes its count into the history, zeros included for windows without any access.
 */
public final class BandRule {

    private final BandSettings settings;
    private final ZoneRules zone;
    private final ZoneId zoneId;
    private final long windowMillis;
    private final long graceMillis;
    private final int phases;

    public BandRule(final BandSettings settings, final ZoneId zone, final Duration grace) {
        this.settings = settings;
        this.zoneId = zone;
        this.zone = zone.getRules();
        this.windowMillis = settings.window().toMillis();
        this.graceMillis = grace.toMillis();
        this.phases = settings.phases();
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
        final LocalDateTime local = LocalDateTime.ofEpochSecond(Math.multiplyExact(window, windowMillis) / 1000L, 0, ZoneOffset.UTC);
        return local.atZone(zoneId).toInstant();
    }

    public Instant windowEnd(final long window) {
        return windowStart(window + 1);
    }

    /**
     * Counts one access at {@code epochMillis}; first closes what {@code watermark} closes. Returns the
     * signals, or null when the access falls in a window that is already closed (late for this series).
     */
    public List<BandSignal> onAccess(final BandSeries series, final long epochMillis, final long watermark) {
        final List<BandSignal> signals = closeUpTo(series, lastClosable(watermark));
        final long window = windowOf(epochMillis);
        if (window <= series.lastClosed) {
            return null;
        }
        int i = series.indexOfOpen(window);
        if (i < 0) {
            i = series.open(window);
        }
        series.openCounts[i]++;
        if (!series.spiked[i]) {
            final BandStats stats = stats(series, window);
            if (stats.isSpike(series.openCounts[i])) {
                series.spiked[i] = true;
                signals.add(new BandSignal(true, true, window, series.openCounts[i], stats));
            }
        }
        return signals;
    }

    /** Closes every window up to {@code closable}: evaluates it (a spike's final count, or a drop) and records its count. */
    public List<BandSignal> closeUpTo(final BandSeries series, final long closable) {
        return closeUpTo(series, closable, null);
    }

    /** What a closed window was judged on: its count and the band of its phase (for charts of a series, not for detection). */
    @FunctionalInterface
    public interface ClosedWindows {
        void closed(long window, long count, BandStats band);
    }

    /** As {@link #closeUpTo(BandSeries, long)}, and hands every window it evaluates to {@code closed} (when not null). */
    public List<BandSignal> closeUpTo(final BandSeries series, final long closable, final ClosedWindows closed) {
        final List<BandSignal> signals = new ArrayList<>(0);
        if (series.openWindows.length == 0 && series.lastClosed == Long.MIN_VALUE) {
            return signals;
        }
        long window = series.lastClosed == Long.MIN_VALUE ? series.oldestOpen() : series.lastClosed + 1;
        int quietWindows = 0;
        final int forgetAfter = phases * settings.history();
        while (window <= closable) {
            final int open = series.indexOfOpen(window);
            if (open < 0 && quietWindows >= forgetAfter) {
                final long nextOpen = series.oldestOpen();
                series.lastClosed = Math.min(closable, nextOpen - 1);
                window = series.lastClosed + 1;
                continue;
            }
            final long count = open < 0 ? 0 : series.openCounts[open];
            final BandStats stats = stats(series, window);
            if (closed != null) {
                closed.closed(window, count, stats);
            }
            if (open >= 0 && series.spiked[open]) {
                signals.add(new BandSignal(true, false, window, count, stats));
            } else if (stats.isSpike(count)) {
                signals.add(new BandSignal(true, false, window, count, stats));
            } else if (stats.isDrop(count)) {
                signals.add(new BandSignal(false, false, window, count, stats));
            }
            series.push(phase(window), count);
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

    private BandStats stats(final BandSeries series, final long window) {
        final int phase = phase(window);
        final int[] history = series.orderedHistory(phase);
        return BandStats.of(history, history.length, settings);
    }

    private int phase(final long window) {
        return (int) Math.floorMod(window, (long) phases);
    }
}
