package io.curriculum.detector.views;

import java.time.DayOfWeek;
import java.time.LocalDate;

/** Class days are weekdays: the inactive-student rule counts enrolment in them, not in calendar days. */
public final class ClassDays {

    private ClassDays() {
    }

    public static boolean isClassDay(final LocalDate day) {
        final DayOfWeek weekday = day.getDayOfWeek();
        return weekday != DayOfWeek.SATURDAY && weekday != DayOfWeek.SUNDAY;
    }

    /** The day after the {@code n}-th class day counted from {@code from} (inclusive): the exclusive end of those days. */
    public static LocalDate endOf(final LocalDate from, final int n) {
        LocalDate day = from;
        int counted = 0;
        while (counted < n) {
            if (isClassDay(day)) {
                counted++;
            }
            day = day.plusDays(1);
        }
        return day;
    }
}
