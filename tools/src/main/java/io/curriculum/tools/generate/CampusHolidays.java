package io.curriculum.tools.generate;

import io.curriculum.detector.detect.CampusCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The campus's holidays and breaks, on the detector's default calendar ({@link CampusCalendar#defaults()}): on such a
 * day the whole campus reads a fraction of its usual ({@link #dip}, between 5% and 35%, drawn per seed and per holiday),
 * the real dip that a band judged lesson by lesson would take for dozens of drops. Each weekday holiday is labelled
 * {@link AnomalyKind#CAMPUS_HOLIDAY}, expect none: no band alert may be dated on it.
 */
final class CampusHolidays {

    private static final double MIN_DIP = 0.05;
    private static final double MAX_DIP = 0.35;

    private final GeneratorSettings settings;
    private final CampusCalendar calendar = CampusCalendar.defaults();
    private final double[] dips;

    CampusHolidays(final GeneratorSettings settings) {
        this.settings = settings;
        this.dips = new double[settings.days()];
        final SplittableRandom random = new SplittableRandom(settings.seed() * 0xD6E8FEB86659FD93L + 17);
        for (int d = 0; d < settings.days(); d++) {
            dips[d] = calendar.isNonClassDay(settings.start().plusDays(d)) ? MIN_DIP + (MAX_DIP - MIN_DIP) * random.nextDouble() : 1;
        }
    }

    /** How much of its usual the campus reads on {@code date}: 1 on a class day. */
    double dip(final LocalDate date) {
        final int d = (int) (date.toEpochDay() - settings.start().toEpochDay());
        return d < 0 || d >= dips.length ? 1 : dips[d];
    }

    boolean isHoliday(final LocalDate date) {
        return calendar.isNonClassDay(date);
    }

    /** One label per weekday holiday of the span. */
    List<Label> labels() {
        final List<Label> labels = new ArrayList<>();
        for (int d = 0; d < settings.days(); d++) {
            final LocalDate date = settings.start().plusDays(d);
            if (dips[d] < 1 && Population.isWeekday(date)) {
                labels.add(new Label(null, AnomalyKind.CAMPUS_HOLIDAY, Label.NONE, "band-drop", null, null, null, null, null, null,
                        date.atStartOfDay(settings.zone()).toInstant(), date.plusDays(1).atStartOfDay(settings.zone()).toInstant(), 0));
            }
        }
        return labels;
    }
}
