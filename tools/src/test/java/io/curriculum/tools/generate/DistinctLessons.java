package io.curriculum.tools.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A sliding-window count of distinct lessons per key (an IP, or a user on an IP), written independently of
 * the detector so the generator is checked against the rule's definition, not its implementation: the window
 * ending at a request holds the key's lesson requests of the preceding {@code window} seconds, both ends
 * included (one second wider than the detector's, so stricter).
 */
final class DistinctLessons {

    /** A key's window that reached the threshold: the key and the time of the request that reached it. */
    record Crossing(String key, long time, int distinct) {
    }

    private DistinctLessons() {
    }

    static List<Crossing> crossings(final List<GeneratedHistory.Request> requests,
                                    final Function<GeneratedHistory.Request, String> key,
                                    final long windowSeconds, final int threshold) {
        final Map<String, Deque<GeneratedHistory.Request>> windows = new HashMap<>();
        final Map<String, Map<String, Integer>> counts = new HashMap<>();
        final List<Crossing> crossings = new ArrayList<>();
        for (final GeneratedHistory.Request r : requests) {
            if (r.lesson() == null) {
                continue;
            }
            final String k = key.apply(r);
            final Deque<GeneratedHistory.Request> window = windows.computeIfAbsent(k, x -> new ArrayDeque<>());
            final Map<String, Integer> count = counts.computeIfAbsent(k, x -> new HashMap<>());
            window.addLast(r);
            count.merge(r.lesson(), 1, Integer::sum);
            while (window.peekFirst().time() < r.time() - windowSeconds) {
                final GeneratedHistory.Request old = window.removeFirst();
                count.computeIfPresent(old.lesson(), (l, n) -> n == 1 ? null : n - 1);
            }
            if (count.size() >= threshold) {
                crossings.add(new Crossing(k, r.time(), count.size()));
            }
        }
        return crossings;
    }

    /** The most distinct lessons the requests reach within any window. */
    static int most(final List<GeneratedHistory.Request> requests, final long windowSeconds) {
        int most = 0;
        for (final Crossing c : crossings(requests, r -> "all", windowSeconds, 1)) {
            most = Math.max(most, c.distinct());
        }
        return most;
    }
}
