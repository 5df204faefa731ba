package io.curriculum.detector.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The campus's non-class days: holidays and breaks on which the whole campus is quiet. The lesson bands neither judge
 * such a day nor learn from it (its low counts stay out of the history the band is fit on, as Elastic ML's calendars
 * do), so a quiet Thanksgiving is not a drop and does not lower the band of the Thursdays after it.
 *
 * <p>Built-in sets: {@code us-federal}, the eleven US federal holidays as observed (a Saturday holiday on the Friday
 * before, a Sunday one on the Monday after; Juneteenth from 2021), and {@code winter-break}, December 24 to January 1.
 * Further days come from a file: one day ({@code 2024-03-11}) or an inclusive range ({@code 2024-03-11..2024-03-15})
 * per line, anything after the first blank a comment, {@code #} lines and blank lines ignored.
 */
public final class CampusCalendar {

    /** The built-in sets a configuration can name. */
    public static final List<String> BUILT_IN = List.of("us-federal", "winter-break");

    private static final CampusCalendar NONE = new CampusCalendar(Set.of(), false, false, Set.of());

    private final boolean federal;
    private final boolean winterBreak;
    private final Set<LocalDate> extra;
    private final Set<String> sets;

    private CampusCalendar(final Set<String> sets, final boolean federal, final boolean winterBreak, final Set<LocalDate> extra) {
        this.sets = sets;
        this.federal = federal;
        this.winterBreak = winterBreak;
        this.extra = extra;
    }

    /** No non-class days: every day is judged. */
    public static CampusCalendar none() {
        return NONE;
    }

    /** The documented default: US federal holidays and the winter break. */
    public static CampusCalendar defaults() {
        return of(BUILT_IN, Set.of());
    }

    /**
     * The named built-in sets and the given extra days.
     *
     * @throws IllegalArgumentException for a set that is not built in
     */
    public static CampusCalendar of(final List<String> builtIn, final Set<LocalDate> extraDays) {
        final Set<String> names = new TreeSet<>();
        for (final String name : builtIn) {
            final String set = name.trim().toLowerCase(Locale.ROOT);
            if (set.isEmpty() || set.equals("none")) {
                continue;
            }
            if (!BUILT_IN.contains(set)) {
                throw new IllegalArgumentException("unknown holiday set '" + name + "' (known: " + String.join(", ", BUILT_IN) + ", none)");
            }
            names.add(set);
        }
        return new CampusCalendar(Collections.unmodifiableSet(names), names.contains("us-federal"), names.contains("winter-break"),
                Collections.unmodifiableSet(new TreeSet<>(extraDays)));
    }

    /**
     * The days a calendar file lists.
     *
     * @throws IllegalArgumentException naming the line of a day that does not parse, or of a range that ends before it starts
     * @throws IOException when the file cannot be read
     */
    public static Set<LocalDate> readDays(final Path file) throws IOException {
        final Set<LocalDate> days = new TreeSet<>();
        final List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            final String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String entry = line.split("\\s+", 2)[0];
            try {
                final int range = entry.indexOf("..");
                final LocalDate from = LocalDate.parse(range < 0 ? entry : entry.substring(0, range));
                final LocalDate to = range < 0 ? from : LocalDate.parse(entry.substring(range + 2));
                if (to.isBefore(from)) {
                    throw new IllegalArgumentException(file + " line " + (n + 1) + ": the range '" + entry + "' ends before it starts");
                }
                for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                    days.add(day);
                }
            } catch (final DateTimeException e) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": '" + entry
                        + "' is neither a day (2024-03-11) nor a range (2024-03-11..2024-03-15)", e);
            }
        }
        return days;
    }

    /** The days added to the built-in sets (the calendar file's, and a calendar rule's), sorted. */
    public Set<LocalDate> extraDays() {
        return extra;
    }

    /**
     * The days of one entry as a calendar file writes it: a day ({@code 2024-03-11}) or an inclusive range
     * ({@code 2024-03-11..2024-03-15}).
     *
     * @throws IllegalArgumentException saying what is wrong with the entry
     */
    public static Set<LocalDate> parseEntry(final String entry) {
        final Set<LocalDate> days = new TreeSet<>();
        try {
            final int range = entry.indexOf("..");
            final LocalDate from = LocalDate.parse(range < 0 ? entry : entry.substring(0, range));
            final LocalDate to = range < 0 ? from : LocalDate.parse(entry.substring(range + 2));
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("the range '" + entry + "' ends before it starts");
            }
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                days.add(day);
            }
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("'" + entry + "' is neither a day (2024-03-11) nor a range (2024-03-11..2024-03-15)", e);
        }
        return days;
    }

    /** True on a holiday or break day: the campus does not hold class. */
    public boolean isNonClassDay(final LocalDate day) {
        return extra.contains(day) || winterBreak && isWinterBreak(day) || federal && isFederalHoliday(day);
    }

    /** What the calendar holds, for start-up logs: the built-in sets and how many extra days. */
    public String describe() {
        if (sets.isEmpty() && extra.isEmpty()) {
            return "none";
        }
        final List<String> parts = new ArrayList<>(sets);
        if (!extra.isEmpty()) {
            parts.add(extra.size() + " days from the calendar file");
        }
        return String.join(", ", parts);
    }

    private static boolean isWinterBreak(final LocalDate day) {
        return day.getMonth() == Month.DECEMBER && day.getDayOfMonth() >= 24 || day.getMonth() == Month.JANUARY && day.getDayOfMonth() == 1;
    }

    /** The federal holidays as observed; New Year's Day of the next year may be observed on December 31. */
    static boolean isFederalHoliday(final LocalDate day) {
        final int year = day.getYear();
        for (final LocalDate holiday : federalHolidays(year)) {
            if (holiday.equals(day)) {
                return true;
            }
        }
        return observed(LocalDate.of(year + 1, 1, 1)).equals(day);
    }

    static List<LocalDate> federalHolidays(final int year) {
        final List<LocalDate> days = new ArrayList<>(11);
        days.add(observed(LocalDate.of(year, 1, 1)));
        days.add(nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3));
        days.add(nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3));
        days.add(LocalDate.of(year, Month.MAY, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
        if (year >= 2021) {
            days.add(observed(LocalDate.of(year, 6, 19)));
        }
        days.add(observed(LocalDate.of(year, 7, 4)));
        days.add(nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1));
        days.add(nth(year, Month.OCTOBER, DayOfWeek.MONDAY, 2));
        days.add(observed(LocalDate.of(year, 11, 11)));
        days.add(nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4));
        days.add(observed(LocalDate.of(year, 12, 25)));
        return days;
    }

    private static LocalDate nth(final int year, final Month month, final DayOfWeek weekday, final int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, weekday));
    }

    private static LocalDate observed(final LocalDate day) {
        return switch (day.getDayOfWeek()) {
            case SATURDAY -> day.minusDays(1);
            case SUNDAY -> day.plusDays(1);
            default -> day;
        };
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof CampusCalendar c && c.sets.equals(sets) && c.extra.equals(extra);
    }

    @Override
    public int hashCode() {
        return sets.hashCode() * 31 + extra.hashCode();
    }

    @Override
    public String toString() {
        return "CampusCalendar[" + describe() + "]";
    }
}
