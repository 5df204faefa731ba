package io.curriculum.detector.detect;

/** A band breach of one window: a spike (open when first crossed, closed with the final count) or a drop (closed). */
public record BandSignal(boolean spike, boolean open, long windowIndex, long count, BandStats stats) {
}
