package io.curriculum.detector.detect;

/**
 * A band breach of one window. A spike is {@code open} when first crossed, then {@code closed} with the final count, or
 * {@code retracted} when the window closes within its band after all (the whole program rose with it). A drop is known
 * when its window closes; consecutive low windows of a series form one episode: every drop signal of it carries the
 * episode's first window ({@code sinceWindow}), how many low windows it has had and their observed and expected
 * totals. {@code programCount} is the program's count in the window (its count so far for an open spike), -1 for a
 * program's own series. {@code first} is true for the first record of an alert: a spike's opening (or its close when it
 * was not seen open), an episode's first drop.
 */
public record BandSignal(boolean spike, String status, boolean first, long windowIndex, long count, BandStats stats, long programCount,
                         long sinceWindow, int episodeWindows, long episodeCount, double episodeExpected) {

    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final String RETRACTED = "retracted";

    static BandSignal spike(final String status, final boolean first, final long window, final long count, final BandStats stats,
                            final long programCount) {
        return new BandSignal(true, status, first, window, count, stats, programCount, window, 1, count, stats.expected());
    }

    public boolean open() {
        return OPEN.equals(status);
    }
}
