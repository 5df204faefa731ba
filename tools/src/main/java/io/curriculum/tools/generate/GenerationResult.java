package io.curriculum.tools.generate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a generation wrote: {@code rows} requests in all, the {@code labels} of the injected anomalies (sorted
 * by their start), and {@code anomalyRows}, the requests that belong to injected anomalies.
 */
public record GenerationResult(long rows, List<Label> labels, long anomalyRows) {

    public GenerationResult {
        labels = List.copyOf(labels);
    }

    /** How many anomalies of each kind were injected, in the order of {@link AnomalyKind}. */
    public Map<AnomalyKind, Integer> countsByKind() {
        final Map<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
        for (final Label label : labels) {
            counts.merge(label.kind(), 1, Integer::sum);
        }
        return counts;
    }
}
