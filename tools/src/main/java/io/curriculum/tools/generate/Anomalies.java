package io.curriculum.tools.generate;

import io.curriculum.detector.detect.Lessons;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The machine-speed anomalies, their hard negatives and the inactive students, planned before any traffic is
 * written: who, from which address, on which day and second, and every request. The plan is drawn from one
 * seeded stream in a fixed order, so it repeats; its requests are merged into their day's normal traffic.
 * Every injection avoids the night (00:00–05:00), so neither the spring-forward gap nor the repeated
 * fall-back hour can move or reorder it, and avoids the days of band anomalies, so no scraper touches a
 * dropped lesson.
 */
final class Anomalies {

    /** Machine-speed injections take at most this share of the requested rows. */
    private static final double ROW_BUDGET = 0.15;
    private static final int ATTEMPTS = 40;

    /** One injected request. */
    record Row(int second, String path, User user, String ip, int lesson) {
    }

    private final GeneratorSettings settings;
    private final Curriculum curriculum;
    private final Population population;
    private final SplittableRandom random;
    private final Set<Integer> bandDays;
    private final List<List<Row>> rowsByDay;
    private final List<Label> labels = new ArrayList<>();
    private final Set<User> inactive = new HashSet<>();
    private long rows;

    Anomalies(final GeneratorSettings settings, final Curriculum curriculum, final Population population,
              final Set<Integer> bandDays, final int perKind, final SplittableRandom random) {
        this.settings = settings;
        this.curriculum = curriculum;
        this.population = population;
        this.random = random;
        this.bandDays = bandDays;
        this.rowsByDay = new ArrayList<>(settings.days());
        for (int d = 0; d < settings.days(); d++) {
            rowsByDay.add(new ArrayList<>(0));
        }
        for (int i = 0; i < perKind; i++) {
            inactiveStudent();
        }
        final ScraperAnomalies scrapers = new ScraperAnomalies(this, curriculum, population, random);
        long budget = (long) (settings.rows() * ROW_BUDGET) - rows;
        for (int round = 0; round < perKind; round++) {
            for (final AnomalyKind kind : List.of(AnomalyKind.BURST_SCRAPER, AnomalyKind.NAT_CLASSROOM,
                    AnomalyKind.FAST_HUMAN, AnomalyKind.PAGE_WITH_ASSETS, AnomalyKind.NAT_SCRAPER, AnomalyKind.SLOW_CRAWLER,
                    AnomalyKind.SLOW_BURST, AnomalyKind.STAFF_REVIEW, AnomalyKind.ROTATING_SCRAPER, AnomalyKind.HEAVY_READER,
                    AnomalyKind.LONG_CRAWLER, AnomalyKind.SHARED_HOME)) {
                final long before = rows;
                final int size = plannedSize(kind);
                if (size > budget) {
                    continue;
                }
                switch (kind) {
                    case BURST_SCRAPER -> burstScraper(size);
                    case NAT_SCRAPER -> natScraper(size);
                    case SLOW_CRAWLER -> slowCrawler(size);
                    case NAT_CLASSROOM -> natClassroom(size);
                    case FAST_HUMAN -> fastHuman();
                    case PAGE_WITH_ASSETS -> pageWithAssets(size);
                    default -> scrapers.inject(kind);
                }
                budget -= rows - before;
            }
        }
    }

    /** The injected requests of a day (index from the start), in the order they were planned. */
    List<Row> rowsOf(final int day) {
        return rowsByDay.get(day);
    }

    /** Labels without ids (the generator numbers all labels once they are sorted). */
    List<Label> labels() {
        return labels;
    }

    long rows() {
        return rows;
    }

    /** Students who must not read anything but their injected handful of pages. */
    boolean isInactive(final User user) {
        return inactive.contains(user);
    }

    private int plannedSize(final AnomalyKind kind) {
        return switch (kind) {
            case BURST_SCRAPER -> Math.min(curriculum.lessonCount(), Draw.between(random, 110, 180));
            case NAT_SCRAPER -> Draw.between(random, 50, 90);
            case SLOW_CRAWLER -> Math.min(curriculum.lessonCount(), Draw.between(random, 280, 320));
            case NAT_CLASSROOM -> Draw.between(random, 30, 80);
            case FAST_HUMAN -> 22;
            case PAGE_WITH_ASSETS -> Draw.between(random, 41, 60);
            default -> ScraperAnomalies.plannedSize(kind);
        };
    }

    /** One IP, not a NAT address, fetching 110-180 distinct lessons within 7-20 s (like the real scrapers). */
    private void burstScraper(final int pages) {
        final int day = pickDay(false);
        final User user = Draw.chance(random, 0.6) ? activeStudent(day, null) : null;
        final User who = user != null ? user : population.dedicatedUser();
        final String ip = population.freshIp();
        final int start = Draw.between(random, 5 * 3600, 23 * 3600);
        final int duration = Draw.between(random, 7, 20);
        final int first = random.nextInt(curriculum.lessonCount());
        final List<Row> injected = new ArrayList<>(pages);
        for (int i = 0; i < pages; i++) {
            final int lesson = (first + i) % curriculum.lessonCount();
            injected.add(new Row(start + i * duration / (pages - 1), curriculum.lesson(lesson), who, ip, lesson));
        }
        add(day, injected, AnomalyKind.BURST_SCRAPER, Label.ALERT, "burst", "ip", ip, who);
    }

    /** One student on the class's campus NAT address, scraping 50-90 lessons in 10-20 s during class. */
    private void natScraper(final int pages) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final int day = pickDay(true);
            final User user = activeStudent(day, null);
            if (user == null) {
                continue;
            }
            final String ip = population.nats().get(user.nat());
            final int start = Draw.between(random, 10 * 3600, 15 * 3600);
            final int duration = Draw.between(random, 10, 20);
            final int first = random.nextInt(curriculum.lessonCount());
            final List<Row> injected = new ArrayList<>(pages);
            for (int i = 0; i < pages; i++) {
                final int lesson = (first + i) % curriculum.lessonCount();
                injected.add(new Row(start + i * duration / (pages - 1), curriculum.lesson(lesson), user, ip, lesson));
            }
            add(day, injected, AnomalyKind.NAT_SCRAPER, Label.ALERT, "burst", "client", ip, user);
            return;
        }
    }

    /** One user on an own address walking 280-320 distinct lessons at one every 10-14 s: a whole hour. */
    private void slowCrawler(final int pages) {
        final int day = pickDay(false);
        final User user = Draw.chance(random, 0.5) ? activeStudent(day, null) : null;
        final User who = user != null ? user : population.dedicatedUser();
        final String ip = population.freshIp();
        int t = Draw.between(random, 6 * 3600, 21 * 3600);
        final int first = random.nextInt(curriculum.lessonCount());
        final List<Row> injected = new ArrayList<>(pages);
        for (int i = 0; i < pages; i++) {
            final int lesson = (first + i) % curriculum.lessonCount();
            injected.add(new Row(t, curriculum.lesson(lesson), who, ip, lesson));
            t += Draw.between(random, 10, 14);
        }
        if (distinctLessons(injected) < pages) {
            throw new IllegalStateException("a crawler walk repeated a lesson: the curriculum has too few lessons");
        }
        add(day, injected, AnomalyKind.SLOW_CRAWLER, Label.ALERT, "crawl", "client", ip, who);
    }

    /**
     * A class of 30-80 students behind one NAT address, each opening one or two of the same five lessons
     * within 20 s: many requests, few distinct lessons, one or two per user.
     */
    private void natClassroom(final int students) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final int day = pickDay(true);
            final List<User> present = activeStudents(day);
            if (present.size() < 30) {
                continue;
            }
            final int size = Math.min(students, present.size());
            final String ip = population.nats().get(random.nextInt(population.nats().size()));
            final int[] course = curriculum.lessonsOf(present.get(0).programId());
            final int first = random.nextInt(course.length - 5);
            final int start = Draw.between(random, 9 * 3600, 15 * 3600);
            final List<Row> injected = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                final int pick = i + random.nextInt(present.size() - i);
                final User user = present.get(pick);
                present.set(pick, present.get(i));
                present.set(i, user);
                final int pages = Draw.chance(random, 0.4) ? 2 : 1;
                for (int p = 0; p < pages; p++) {
                    final int lesson = course[first + random.nextInt(5)];
                    injected.add(new Row(start + random.nextInt(20), curriculum.lesson(lesson), user, ip, lesson));
                }
            }
            injected.sort((a, b) -> Integer.compare(a.second(), b.second()));
            add(day, injected, AnomalyKind.NAT_CLASSROOM, Label.NONE, "burst", "ip", ip, null);
            return;
        }
    }

    /** One user clicking through 15 lessons of a table of contents in 20 s, then reading on at a human pace. */
    private void fastHuman() {
        final int day = pickDay(false);
        final User user = activeStudent(day, null);
        if (user == null) {
            return;
        }
        final String ip = user.homeIps()[0];
        final int[] course = curriculum.lessonsOf(user.programId());
        final int first = random.nextInt(course.length - 15);
        final int start = Draw.between(random, 9 * 3600, 20 * 3600);
        final List<Row> injected = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            final int lesson = course[first + i];
            injected.add(new Row(start + i * 19 / 14, curriculum.lesson(lesson), user, ip, lesson));
        }
        int t = start + 19;
        for (int i = 0; i < 7; i++) {
            t += Draw.between(random, 30, 150);
            final int lesson = course[first + random.nextInt(15)];
            injected.add(new Row(t, curriculum.lesson(lesson), user, ip, lesson));
        }
        add(day, injected, AnomalyKind.FAST_HUMAN, Label.NONE, "burst", "client", ip, user);
    }

    /** One user opening a lesson whose page pulls in 40-60 images, styles and scripts within 3 s. */
    private void pageWithAssets(final int size) {
        final int day = pickDay(false);
        final User user = activeStudent(day, null);
        if (user == null) {
            return;
        }
        final String ip = user.homeIps()[0];
        final int lesson = curriculum.popular(user.programId(), random);
        final int start = Draw.between(random, 9 * 3600, 20 * 3600);
        final List<Row> injected = new ArrayList<>(size);
        injected.add(new Row(start, curriculum.lesson(lesson), user, ip, lesson));
        for (int i = 1; i < size; i++) {
            injected.add(new Row(start + i * 2 / (size - 1), curriculum.asset(lesson, random), user, ip, -1));
        }
        add(day, injected, AnomalyKind.PAGE_WITH_ASSETS, Label.NONE, "burst", "client", ip, user);
    }

    /** A student enrolled within the span who reads only two to five pages over the whole enrolment. */
    private void inactiveStudent() {
        final List<User> candidates = new ArrayList<>();
        for (final User user : population.users()) {
            if (user.kind() == User.Kind.STUDENT && !inactive.contains(user) && enrolledOverlap(user) >= 28) {
                candidates.add(user);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        final User user = candidates.get(random.nextInt(candidates.size()));
        inactive.add(user);
        final List<Integer> days = enrolledDays(user);
        final int visits = Draw.between(random, 2, 5);
        final int[] chosen = new int[visits];
        for (int i = 0; i < visits; i++) {
            chosen[i] = days.get(random.nextInt(days.size()));
        }
        Arrays.sort(chosen);
        final String ip = user.homeIps()[0];
        Instant from = null;
        Instant to = null;
        for (final int day : chosen) {
            final int second = Draw.between(random, 9 * 3600, 16 * 3600);
            final int lesson = curriculum.popular(user.programId(), random);
            final Row row = Draw.chance(random, 0.5)
                    ? new Row(second, "/", user, ip, -1)
                    : new Row(second, curriculum.lesson(lesson), user, ip, lesson);
            rowsByDay.get(day).add(row);
            rows++;
            final Instant at = instant(day, second);
            from = from == null || at.isBefore(from) ? at : from;
            to = to == null || at.isAfter(to) ? at : to;
        }
        labels.add(new Label(null, AnomalyKind.INACTIVE_STUDENT, Label.NONE, null, null, null, user.id(),
                user.cohortId(), user.programId(), null, from, to, visits));
    }

    private long enrolledOverlap(final User user) {
        final LocalDate from = user.cohort().startDate().isAfter(settings.start()) ? user.cohort().startDate() : settings.start();
        final LocalDate to = user.cohort().endDate().isBefore(settings.end()) ? user.cohort().endDate() : settings.end();
        return to.toEpochDay() - from.toEpochDay() + 1;
    }

    private List<Integer> enrolledDays(final User user) {
        final List<Integer> days = new ArrayList<>();
        for (int d = 0; d < settings.days(); d++) {
            final LocalDate date = settings.start().plusDays(d);
            if (user.isStudentOn(date) && Population.isWeekday(date) && !bandDays.contains(d)) {
                days.add(d);
            }
        }
        return days;
    }

    void add(final int day, final List<Row> injected, final AnomalyKind kind, final String expect,
                     final String rule, final String scope, final String ip, final User user) {
        rowsByDay.get(day).addAll(injected);
        rows += injected.size();
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (final Row row : injected) {
            first = Math.min(first, row.second());
            last = Math.max(last, row.second());
        }
        labels.add(new Label(null, kind, expect, rule, scope, ip, user == null ? null : user.id(),
                user == null ? null : user.cohortId(), user == null || user.cohort() == null ? null : user.programId(), null,
                instant(day, first), instant(day, last), injected.size()));
    }

    private Instant instant(final int day, final int second) {
        return settings.start().plusDays(day).atTime(LocalTime.ofSecondOfDay(second)).atZone(zone()).toInstant();
    }

    private ZoneId zone() {
        return settings.zone();
    }

    /** A day of the span that no band anomaly uses and that is not the last (a weekday when asked). */
    int pickDay(final boolean weekday) {
        for (int attempt = 0; attempt < ATTEMPTS * 4; attempt++) {
            final int day = random.nextInt(settings.days());
            if (!bandDays.contains(day) && (!weekday || Population.isWeekday(settings.start().plusDays(day)))) {
                return day;
            }
        }
        return 0;
    }

    User activeStudent(final int day, final User not) {
        final List<User> present = activeStudents(day);
        present.remove(not);
        return present.isEmpty() ? null : present.get(random.nextInt(present.size()));
    }

    List<User> activeStudents(final int day) {
        final LocalDate date = settings.start().plusDays(day);
        final List<User> present = new ArrayList<>();
        for (final User user : population.users()) {
            if (user.isStudentOn(date) && !inactive.contains(user)) {
                present.add(user);
            }
        }
        return present;
    }

    private static int distinctLessons(final List<Row> rows) {
        final Set<String> distinct = new HashSet<>();
        for (final Row row : rows) {
            final String lesson = Lessons.normalize(row.path());
            if (lesson != null) {
                distinct.add(lesson);
            }
        }
        return distinct.size();
    }
}
