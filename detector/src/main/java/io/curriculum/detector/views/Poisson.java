package io.curriculum.detector.views;

/**
 * The upper tail of a Poisson distribution, in log10 so that tails far below {@code Double.MIN_VALUE} still rank: how
 * surprising {@code k} or more events are when {@code lambda} are expected.
 */
public final class Poisson {

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    private static final double LN10 = Math.log(10);

    private Poisson() {
    }

    /**
     * log10 P(X ≥ k) for X ~ Poisson(lambda). 0 (a p-value of 1, as a cap) when {@code k <= lambda}: no excess over the
     * expectation, nothing to rank; {@code -Infinity} when {@code lambda} is 0 and {@code k > 0}.
     */
    public static double log10UpperTail(final long k, final double lambda) {
        if (k <= lambda || k <= 0) {
            return 0;
        }
        if (lambda <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        // P(X ≥ k) = pmf(k) · Σ_{i≥0} λ^i k! / (k+i)!: the terms fall at least geometrically (λ < k)
        final double logPmf = -lambda + k * Math.log(lambda) - logGamma(k + 1.0);
        double sum = 1;
        double term = 1;
        for (long i = 1; i < 100_000; i++) {
            term *= lambda / (k + i);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.min(0, (logPmf + Math.log(sum)) / LN10);
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
    static double logGamma(final double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        final double z = x - 1;
        double a = LANCZOS[0];
        final double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
