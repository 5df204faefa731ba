package io.curriculum.detector.views;

/**
 * When a cohort over-reads a lesson: at least {@code minHits} of its students' hits on it, at least {@code minRatio} times the
 * hits expected at the rate of the program's other cohorts (those active while the lesson was read), and a Poisson upper tail
 * of at most {@code maxPValue} (cohorts × lessons are many tests: the default 1e-6 keeps chance findings out of a
 * three-year history). The one definition the API's defaults and the report use.
 */
public record OveruseCriteria(double minRatio, double maxPValue, long minHits) {

    public static final OveruseCriteria DEFAULT = new OveruseCriteria(2.0, 1e-6, 20);

    public OveruseCriteria {
        if (!(minRatio > 0) || !(maxPValue > 0 && maxPValue <= 1) || minHits < 0) {
            throw new IllegalArgumentException("over-use criteria: minRatio > 0, 0 < maxP <= 1, minHits >= 0; was " + minRatio + ", "
                    + maxPValue + ", " + minHits);
        }
    }

    /** Whether a cohort's {@code hits} on a lesson, {@code ratio} times the expected, with this tail, are over-use. */
    public boolean overused(final long hits, final double ratio, final double log10PValue) {
        return hits >= minHits && ratio >= minRatio && log10PValue <= Math.log10(maxPValue);
    }

    /** The criteria in words, for a report or a response. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "at least %d hits, at least %.1f× the other cohorts' rate, Poisson p ≤ %.0e",
                minHits, minRatio, maxPValue);
    }
}
