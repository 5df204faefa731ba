package io.curriculum.detector.detect;

import io.curriculum.detector.serde.FormatVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The counts of one lesson series: the windows still open (normally one; two around a window boundary
 * within the grace); per weekly phase, a ring of the last closed windows' counts and of the program's activity in
 * the same windows (what a lesson's expected count was scaled by); and the drop episode under way, if any. Bounded
 * by 2 × phases × history integers.
 */
public final class BandSeries {

    /** Version 2 added the program's activity and the drop episode; version 1 is still read (its activity unknown). */
    private static final FormatVersion FORMAT = new FormatVersion("band series", 1, 2);
    /** A program activity not recorded (a program's own series, or one written by version 1): taken as usual, 1. */
    static final int UNKNOWN = -1;
    /** The program's activity in a window (its count over its expected count) is kept in thousandths. */
    static final int FACTOR_SCALE = 1000;

    long lastClosed = Long.MIN_VALUE;
    long[] openWindows = new long[0];
    long[] openCounts = new long[0];
    boolean[] spiked = new boolean[0];
    int[][] history;
    int[][] context;
    int[] filled;
    int[] next;
    /** The first window of the drop episode under way, {@code Long.MIN_VALUE} when none is. */
    long dropSince = Long.MIN_VALUE;
    /** The episode's newest low window. */
    long dropLast = Long.MIN_VALUE;
    int dropWindows;
    long dropCount;
    double dropExpected;
    /** The fit of the window last judged, kept while the window is open (the history changes only when a window closes). */
    long fitWindow = Long.MIN_VALUE;
    BandFit fit;

    BandSeries(final int phases, final int historySize) {
        history = new int[phases][historySize];
        context = new int[phases][historySize];
        filled = new int[phases];
        next = new int[phases];
    }

    int phases() {
        return history.length;
    }

    int[] orderedContext(final int phase) {
        final int[] ring = context[phase];
        final int[] ordered = new int[filled[phase]];
        for (int i = 0; i < filled[phase]; i++) {
            ordered[i] = ring[Math.floorMod(next[phase] - filled[phase] + i, ring.length)];
        }
        return ordered;
    }

    /** The count so far of an open window, 0 when it has none. */
    long openCount(final long window) {
        final int i = indexOfOpen(window);
        return i < 0 ? 0 : openCounts[i];
    }

    int[] orderedHistory(final int phase) {
        final int[] ring = history[phase];
        final int[] ordered = new int[filled[phase]];
        for (int i = 0; i < filled[phase]; i++) {
            ordered[i] = ring[Math.floorMod(next[phase] - filled[phase] + i, ring.length)];
        }
        return ordered;
    }

    void push(final int phase, final long count, final int programFactor) {
        final int[] ring = history[phase];
        ring[next[phase]] = (int) Math.min(Integer.MAX_VALUE, count);
        context[phase][next[phase]] = programFactor;
        next[phase] = (next[phase] + 1) % ring.length;
        filled[phase] = Math.min(ring.length, filled[phase] + 1);
        fitWindow = Long.MIN_VALUE;
        fit = null;
    }

    int indexOfOpen(final long window) {
        for (int i = 0; i < openWindows.length; i++) {
            if (openWindows[i] == window) {
                return i;
            }
        }
        return -1;
    }

    int open(final long window) {
        final int n = openWindows.length;
        openWindows = Arrays.copyOf(openWindows, n + 1);
        openCounts = Arrays.copyOf(openCounts, n + 1);
        spiked = Arrays.copyOf(spiked, n + 1);
        openWindows[n] = window;
        return n;
    }

    void removeOpen(final int i) {
        final int n = openWindows.length;
        final long[] windows = new long[n - 1];
        final long[] counts = new long[n - 1];
        final boolean[] flags = new boolean[n - 1];
        for (int j = 0, k = 0; j < n; j++) {
            if (j != i) {
                windows[k] = openWindows[j];
                counts[k] = openCounts[j];
                flags[k] = spiked[j];
                k++;
            }
        }
        openWindows = windows;
        openCounts = counts;
        spiked = flags;
    }

    long oldestOpen() {
        long oldest = Long.MAX_VALUE;
        for (final long w : openWindows) {
            oldest = Math.min(oldest, w);
        }
        return oldest;
    }

    /** The newest closed window, {@code Long.MIN_VALUE} before the first. */
    public long lastClosed() {
        return lastClosed;
    }

    /** True when nothing is open, no drop episode is under way and every remembered count is zero: the series can be forgotten. */
    public boolean isEmpty() {
        if (openWindows.length > 0 || dropSince != Long.MIN_VALUE) {
            return false;
        }
        for (int p = 0; p < history.length; p++) {
            for (int i = 0; i < filled[p]; i++) {
                if (history[p][i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    public byte[] encode() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 + history.length * history[0].length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            FORMAT.write(out);
            out.writeLong(lastClosed);
            out.writeInt(openWindows.length);
            for (int i = 0; i < openWindows.length; i++) {
                out.writeLong(openWindows[i]);
                out.writeLong(openCounts[i]);
                out.writeBoolean(spiked[i]);
            }
            out.writeInt(history.length);
            out.writeInt(history[0].length);
            for (int p = 0; p < history.length; p++) {
                out.writeInt(filled[p]);
                out.writeInt(next[p]);
                for (int i = 0; i < history[p].length; i++) {
                    out.writeInt(history[p][i]);
                    out.writeInt(context[p][i]);
                }
            }
            out.writeLong(dropSince);
            out.writeLong(dropLast);
            out.writeInt(dropWindows);
            out.writeLong(dropCount);
            out.writeDouble(dropExpected);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static BandSeries decode(final byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            final int version = FORMAT.read(in);
            final long lastClosed = in.readLong();
            final int open = in.readInt();
            final long[] windows = new long[open];
            final long[] counts = new long[open];
            final boolean[] flags = new boolean[open];
            for (int i = 0; i < open; i++) {
                windows[i] = in.readLong();
                counts[i] = in.readLong();
                flags[i] = in.readBoolean();
            }
            final int phases = in.readInt();
            final int size = in.readInt();
            final BandSeries series = new BandSeries(phases, size);
            series.lastClosed = lastClosed;
            series.openWindows = windows;
            series.openCounts = counts;
            series.spiked = flags;
            for (int p = 0; p < phases; p++) {
                series.filled[p] = in.readInt();
                series.next[p] = in.readInt();
                for (int i = 0; i < size; i++) {
                    series.history[p][i] = in.readInt();
                    series.context[p][i] = version == 1 ? UNKNOWN : in.readInt();
                }
            }
            if (version > 1) {
                series.dropSince = in.readLong();
                series.dropLast = in.readLong();
                series.dropWindows = in.readInt();
                series.dropCount = in.readLong();
                series.dropExpected = in.readDouble();
            }
            return series;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
