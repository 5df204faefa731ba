package io.curriculum.detector.detect;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The counts of one lesson series: the windows still open (normally one; two around a window boundary
 * within the grace) and, per weekly phase, a ring of the last closed windows' counts. Bounded by
 * phases × history integers.
 */
public final class BandSeries {

    private static final byte VERSION = 1;

    long lastClosed = Long.MIN_VALUE;
    long[] openWindows = new long[0];
    long[] openCounts = new long[0];
    boolean[] spiked = new boolean[0];
    int[][] history;
    int[] filled;
    int[] next;

    BandSeries(final int phases, final int historySize) {
        history = new int[phases][historySize];
        filled = new int[phases];
        next = new int[phases];
    }

    int[] orderedHistory(final int phase) {
        final int[] ring = history[phase];
        final int[] ordered = new int[filled[phase]];
        for (int i = 0; i < filled[phase]; i++) {
            ordered[i] = ring[Math.floorMod(next[phase] - filled[phase] + i, ring.length)];
        }
        return ordered;
    }

    void push(final int phase, final long count) {
        final int[] ring = history[phase];
        ring[next[phase]] = (int) Math.min(Integer.MAX_VALUE, count);
        next[phase] = (next[phase] + 1) % ring.length;
        filled[phase] = Math.min(ring.length, filled[phase] + 1);
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

    /** True when nothing is open and every remembered count is zero: the series can be forgotten. */
    public boolean isEmpty() {
        if (openWindows.length > 0) {
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
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + history.length * history[0].length * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
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
                for (final int count : history[p]) {
                    out.writeInt(count);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static BandSeries decode(final byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("band series of unknown version " + version);
            }
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
                }
            }
            return series;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
