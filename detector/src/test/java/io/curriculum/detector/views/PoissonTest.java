package io.curriculum.detector.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoissonTest {

    /** P(X ≥ k) by summing the probability mass directly, for small cases. */
    private static double directTail(final long k, final double lambda) {
        double pmf = Math.exp(-lambda);
        double below = 0;
        for (long j = 0; j < k; j++) {
            below += pmf;
            pmf *= lambda / (j + 1);
        }
        return 1 - below;
    }

    @Test
    void shouldGiveTheUpperTailOfSmallCasesAsADirectSumDoes() {
        // given / when / then
        for (final double lambda : new double[] {0.3, 1, 2.5, 7}) {
            for (long k = (long) Math.floor(lambda) + 1; k < 30; k++) {
                assertThat(Math.pow(10, Poisson.log10UpperTail(k, lambda))).as("k %d, lambda %s", k, lambda)
                        .isCloseTo(directTail(k, lambda), within(1e-9 * directTail(k, lambda) + 1e-15));
            }
        }
    }

    @Test
    void shouldRankTailsFarBelowADoublesRange() {
        // given 400 hits where 1 is expected: p ~ 1e-870 (pmf(400) · 401/400 for the rest of the tail), no double holds it
        final double log10 = Poisson.log10UpperTail(400, 1.0);

        // then its log is finite, and a bigger excess ranks as more surprising
        assertThat(log10).isCloseTo((-1 - Poisson.logGamma(401) + Math.log(401.0 / 400)) / Math.log(10), within(1e-5));
        assertThat(Poisson.log10UpperTail(500, 1.0)).isLessThan(log10);
    }

    @Test
    void shouldCapTheTailAtOneWithoutExcess() {
        assertThat(Poisson.log10UpperTail(5, 5.0)).isZero();
        assertThat(Poisson.log10UpperTail(0, 2.0)).isZero();
        assertThat(Poisson.log10UpperTail(3, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void shouldComputeLogGammaOfFactorials() {
        double logFactorial = 0;
        for (int n = 1; n < 200; n++) {
            logFactorial += Math.log(n);
            assertThat(Poisson.logGamma(n + 1.0)).as("ln %d!", n).isCloseTo(logFactorial, within(1e-9 * Math.max(1, logFactorial)));
        }
    }
}
