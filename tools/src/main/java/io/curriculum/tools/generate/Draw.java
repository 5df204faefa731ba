package io.curriculum.tools.generate;

import java.util.SplittableRandom;

/** The few distributions the generator draws from, on a seeded {@link SplittableRandom} so output repeats. */
final class Draw {

    private Draw() {
    }

    static double gaussian(final SplittableRandom random) {
        final double u = 1.0 - random.nextDouble();
        final double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** Log-normal with the given median: human think times and session lengths have its long right tail. */
    static double logNormal(final SplittableRandom random, final double median, final double sigma) {
        return median * Math.exp(sigma * gaussian(random));
    }

    static int between(final SplittableRandom random, final int fromInclusive, final int toInclusive) {
        return random.nextInt(fromInclusive, toInclusive + 1);
    }

    static boolean chance(final SplittableRandom random, final double probability) {
        return random.nextDouble() < probability;
    }

    /** Index into ascending cumulative weights, drawn in proportion to the weights. */
    static int weighted(final double[] cumulative, final int size, final SplittableRandom random) {
        final double u = random.nextDouble() * cumulative[size - 1];
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (cumulative[mid] <= u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
