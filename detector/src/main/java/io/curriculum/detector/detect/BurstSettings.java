package io.curriculum.detector.detect;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The burst rule: its {@link PaceScale}s, judged at once (seconds, a couple of minutes, ten minutes), shortest first.
 * An episode ends after {@code episodeGap} below every threshold.
 */
public record BurstSettings(List<PaceScale> scales, Duration episodeGap) {

    public BurstSettings {
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("the burst rule needs at least one scale");
        }
        scales = scales.stream().sorted(Comparator.comparing(PaceScale::window)).toList();
    }

    /** One scale only. */
    public BurstSettings(final Duration window, final int minDistinctPages, final int minPagesPerUser, final Duration episodeGap) {
        this(List.of(new PaceScale(window, minDistinctPages, minPagesPerUser)), episodeGap);
    }

    /** The longest window: how far back the rule must remember requests. */
    public Duration longest() {
        return scales.get(scales.size() - 1).window();
    }
}
