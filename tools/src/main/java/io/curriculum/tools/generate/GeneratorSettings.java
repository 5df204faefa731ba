package io.curriculum.tools.generate;

import io.curriculum.tools.history.CohortRow;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * What to generate: about {@code rows} requests over {@code days} campus days from {@code start}, for the
 * students of the {@code cohorts} that overlap that span, with campus wall-clock times in {@code zone}. The
 * same settings (seed included) always give the same bytes. Invalid settings throw
 * {@link IllegalArgumentException} with a message that names the setting.
 */
public record GeneratorSettings(long seed, long rows, LocalDate start, int days, List<CohortRow> cohorts, ZoneId zone) {

    public static final long MIN_ROWS = 1_000;
    public static final long MAX_ROWS = 500_000_000;
    public static final int MAX_DAYS = 3650;
    public static final String STAFF = "Staff";

    public GeneratorSettings {
        if (rows < MIN_ROWS || rows > MAX_ROWS) {
            throw new IllegalArgumentException("rows must be between " + MIN_ROWS + " and " + MAX_ROWS + ", was " + rows);
        }
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", was " + days);
        }
        if (start == null) {
            throw new IllegalArgumentException("start date is required");
        }
        if (zone == null) {
            throw new IllegalArgumentException("zone is required");
        }
        if (cohorts == null || cohorts.isEmpty()) {
            throw new IllegalArgumentException("cohorts are required: the generator's students come from the cohorts table");
        }
        cohorts = List.copyOf(cohorts);
        final LocalDate end = start.plusDays(days - 1L);
        final boolean overlaps = cohorts.stream().anyMatch(c -> !isStaff(c)
                && !c.startDate().isAfter(end) && !c.endDate().isBefore(start));
        if (!overlaps) {
            throw new IllegalArgumentException("no cohort is active between " + start + " and " + end
                    + ": pick a span that overlaps a cohort's start_date..end_date (the real table has cohorts from 2014 to 2021)");
        }
    }

    /** The default settings over the bundled cohorts: 100,000 rows over 120 days from 2019-01-07, seed 1. */
    public static GeneratorSettings defaults(final List<CohortRow> cohorts) {
        return new GeneratorSettings(1, 100_000, LocalDate.of(2019, 1, 7), 120, cohorts, ZoneId.of("America/Chicago"));
    }

    public LocalDate end() {
        return start.plusDays(days - 1L);
    }

    static boolean isStaff(final CohortRow cohort) {
        return STAFF.equalsIgnoreCase(cohort.name());
    }
}
