package io.curriculum.tools.generate;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;

/**
 * The requests of one campus day, held in parallel arrays (a day of a dense file is tens of thousands of rows;
 * objects per row would only feed the collector), then sorted by time, ties in the order they were added, and
 * written in the export format. Times are seconds of the campus wall-clock day.
 */
final class DayRows {

    private static final int SECONDS_PER_DAY = 86_400;

    private int size;
    private int[] seconds = new int[1024];
    private String[] paths = new String[1024];
    private User[] users = new User[1024];
    private String[] ips = new String[1024];
    private int[] lessons = new int[1024];
    private final char[] clock = new char[9];

    void clear() {
        Arrays.fill(paths, 0, size, null);
        Arrays.fill(users, 0, size, null);
        Arrays.fill(ips, 0, size, null);
        size = 0;
    }

    int size() {
        return size;
    }

    /**
     * Adds a request; {@code lesson} is the curriculum's lesson index, or -1 when the path is not a lesson.
     * A time past the end of the day is dropped (a session that runs past midnight ends there); returns
     * whether the row was added.
     */
    boolean add(final int second, final String path, final User user, final String ip, final int lesson) {
        if (second < 0 || second >= SECONDS_PER_DAY) {
            return false;
        }
        if (size == seconds.length) {
            final int grown = size * 2;
            seconds = Arrays.copyOf(seconds, grown);
            paths = Arrays.copyOf(paths, grown);
            users = Arrays.copyOf(users, grown);
            ips = Arrays.copyOf(ips, grown);
            lessons = Arrays.copyOf(lessons, grown);
        }
        seconds[size] = second;
        paths[size] = path;
        users[size] = user;
        ips[size] = ip;
        lessons[size] = lesson;
        size++;
        return true;
    }

    int second(final int i) {
        return seconds[i];
    }

    User user(final int i) {
        return users[i];
    }

    int lesson(final int i) {
        return lessons[i];
    }

    String ip(final int i) {
        return ips[i];
    }

    /** Moves every time inside the spring-forward gap {@code [gapStart, gapStart + gapLength)} past it. */
    void skipGap(final int gapStart, final int gapLength) {
        for (int i = 0; i < size; i++) {
            if (seconds[i] >= gapStart && seconds[i] < gapStart + gapLength) {
                seconds[i] = Math.min(SECONDS_PER_DAY - 1, seconds[i] + gapLength);
            }
        }
    }

    /** Writes the day sorted by time (stable), one {@code date time path user_id cohort_id ip} line per request. */
    void writeSorted(final String date, final Writer out) throws IOException {
        final long[] order = new long[size];
        for (int i = 0; i < size; i++) {
            order[i] = ((long) seconds[i] << 32) | i;
        }
        Arrays.sort(order);
        for (final long key : order) {
            final int i = (int) key;
            final int s = (int) (key >>> 32);
            clock[0] = ' ';
            two(clock, 1, s / 3600);
            clock[3] = ':';
            two(clock, 4, s / 60 % 60);
            clock[6] = ':';
            two(clock, 7, s % 60);
            out.write(date);
            out.write(clock, 0, 9);
            out.write(' ');
            out.write(paths[i]);
            out.write(' ');
            out.write(users[i].idText());
            out.write(' ');
            out.write(users[i].cohortText());
            out.write(' ');
            out.write(ips[i]);
            out.write('\n');
        }
    }

    private static void two(final char[] into, final int at, final int value) {
        into[at] = (char) ('0' + value / 10);
        into[at + 1] = (char) ('0' + value % 10);
    }
}
