package io.curriculum.tools.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The machine-speed classes beyond the plain burst: the published slow burst, an account rotating its addresses and
 * a crawl of several hours (positives), and the humans that must stay silent next to them: a staff member reviewing
 * a module, a heavy reader studying all day, several people at one home address (hard negatives). Every class draws
 * its pace, duration and number of addresses per seed, so a detector cannot be tuned to one shape. Planned by
 * {@link Anomalies}, whose days, readers and labels they use.
 */
final class ScraperAnomalies {

    private static final int HOUR = 3600;

    private final Anomalies plan;
    private final Curriculum curriculum;
    private final Population population;
    private final SplittableRandom random;

    ScraperAnomalies(final Anomalies plan, final Curriculum curriculum, final Population population, final SplittableRandom random) {
        this.plan = plan;
        this.curriculum = curriculum;
        this.population = population;
        this.random = random;
    }

    /** Rows a class takes, planned before it is drawn (an upper bound, for the row budget). */
    static int plannedSize(final AnomalyKind kind) {
        return switch (kind) {
            case SLOW_BURST -> 95;
            case ROTATING_SCRAPER -> 280;
            case LONG_CRAWLER -> 420;
            case STAFF_REVIEW -> 60;
            case HEAVY_READER -> 700;
            case SHARED_HOME -> 200;
            default -> throw new IllegalArgumentException(kind.label());
        };
    }

    void inject(final AnomalyKind kind) {
        switch (kind) {
            case SLOW_BURST -> slowBurst();
            case ROTATING_SCRAPER -> rotatingScraper();
            case LONG_CRAWLER -> longCrawler();
            case STAFF_REVIEW -> staffReview();
            case HEAVY_READER -> heavyReader();
            case SHARED_HOME -> sharedHome();
            default -> throw new IllegalArgumentException(kind.label());
        }
    }

    /**
     * The published case's shape: one account on its own address fetching 45-70 distinct lessons in 60-110 s (a page
     * every 1.2-2.4 s, never 30 within 20 s), a fifth to a third of them twice, and nothing else.
     */
    private void slowBurst() {
        final int day = plan.pickDay(false);
        final User user = Draw.chance(random, 0.5) ? plan.activeStudent(day, null) : null;
        final User who = user != null ? user : population.dedicatedUser();
        final String ip = population.freshIp();
        final int pages = Draw.between(random, 45, 70);
        final int repeats = pages * Draw.between(random, 20, 33) / 100;
        final int duration = Draw.between(random, 60, 110);
        final int start = Draw.between(random, 6 * HOUR, 22 * HOUR);
        final int first = random.nextInt(curriculum.lessonCount());
        final List<Anomalies.Row> injected = new ArrayList<>(pages + repeats);
        for (int i = 0; i < pages + repeats; i++) {
            final int lesson = (first + (i < pages ? i : random.nextInt(pages))) % curriculum.lessonCount();
            injected.add(new Anomalies.Row(start + i * duration / (pages + repeats - 1), curriculum.lesson(lesson), who, ip, lesson));
        }
        plan.add(day, injected, AnomalyKind.SLOW_BURST, Label.ALERT, "burst", "client", ip, who);
    }

    /**
     * One account fetching 25-35 distinct lessons from each of 4-8 addresses (half the time several of one /24),
     * round-robin, within 1-4 minutes: under every per-address threshold, 100-280 pages for the account.
     */
    private void rotatingScraper() {
        final int day = plan.pickDay(false);
        final User user = Draw.chance(random, 0.5) ? plan.activeStudent(day, null) : null;
        final User who = user != null ? user : population.dedicatedUser();
        final int addresses = Draw.between(random, 4, 8);
        final boolean subnet = Draw.chance(random, 0.5);
        final String[] ips = new String[addresses];
        for (int i = 0; i < addresses; i++) {
            ips[i] = subnet && i > 0 && i % 3 != 0 ? population.freshIpBeside(ips[i - 1]) : population.freshIp();
        }
        final int pages = Math.min(curriculum.lessonCount(), addresses * Draw.between(random, 25, 35));
        final int duration = Draw.between(random, 60, 240);
        final int start = Draw.between(random, 6 * HOUR, 22 * HOUR);
        final int first = random.nextInt(curriculum.lessonCount());
        final List<Anomalies.Row> injected = new ArrayList<>(pages);
        for (int i = 0; i < pages; i++) {
            final int lesson = (first + i) % curriculum.lessonCount();
            injected.add(new Anomalies.Row(start + i * duration / (pages - 1), curriculum.lesson(lesson), who, ips[i % addresses], lesson));
        }
        plan.add(day, injected, AnomalyKind.ROTATING_SCRAPER, Label.ALERT, "burst", "user", null, who);
    }

    /**
     * One account on its own address walking distinct lessons at one every 25-45 s (jittered by a few seconds) for
     * 3.2-6 hours, or until the curriculum runs out: never an hour's 200 pages, but no reader keeps it up.
     */
    private void longCrawler() {
        final int day = plan.pickDay(false);
        final User user = Draw.chance(random, 0.5) ? plan.activeStudent(day, null) : null;
        final User who = user != null ? user : population.dedicatedUser();
        final String ip = population.freshIp();
        final int every = Draw.between(random, 25, 45);
        final int hours = Draw.between(random, 32, 60);
        final int pages = Math.min(curriculum.lessonCount(), hours * HOUR / 10 / every);
        int t = Draw.between(random, 5 * HOUR + 30 * 60, 24 * HOUR - hours * HOUR / 10 - 60 * 60);
        final int first = random.nextInt(curriculum.lessonCount());
        final List<Anomalies.Row> injected = new ArrayList<>(pages);
        for (int i = 0; i < pages; i++) {
            final int lesson = (first + i) % curriculum.lessonCount();
            injected.add(new Anomalies.Row(t, curriculum.lesson(lesson), who, ip, lesson));
            t += Draw.between(random, every - 4, every + 4);
        }
        plan.add(day, injected, AnomalyKind.LONG_CRAWLER, Label.ALERT, "crawl", "client", ip, who);
    }

    /** A staff member opening every lesson of 15-30 in course order, 3-9 s each, then going back over a few at 10-40 s. */
    private void staffReview() {
        final int day = plan.pickDay(true);
        final List<User> staff = population.users().stream().filter(u -> u.kind() == User.Kind.STAFF).toList();
        if (staff.isEmpty()) {
            return;
        }
        final User user = staff.get(random.nextInt(staff.size()));
        final String ip = user.homeIps()[0];
        final int[] course = curriculum.lessonsOf(1 + random.nextInt(4));
        final int count = Math.min(course.length, Draw.between(random, 15, 30));
        final int first = random.nextInt(course.length - count + 1);
        int t = Draw.between(random, 8 * HOUR, 17 * HOUR);
        final List<Anomalies.Row> injected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int lesson = course[first + i];
            injected.add(new Anomalies.Row(t, curriculum.lesson(lesson), user, ip, lesson));
            t += Draw.between(random, 3, 9);
        }
        final int back = Draw.between(random, 3, 10);
        for (int i = 0; i < back; i++) {
            final int lesson = course[first + random.nextInt(count)];
            injected.add(new Anomalies.Row(t, curriculum.lesson(lesson), user, ip, lesson));
            t += Draw.between(random, 10, 40);
        }
        plan.add(day, injected, AnomalyKind.STAFF_REVIEW, Label.NONE, "burst", "client", ip, user);
    }

    /**
     * A student studying 5-9 hours at home: a page every 15 s to 10 min (log-normal, median 50-90 s), a third to a
     * half of them pages read before, the rest onwards in course order.
     */
    private void heavyReader() {
        final int day = plan.pickDay(false);
        final User user = plan.activeStudent(day, null);
        if (user == null) {
            return;
        }
        final String ip = user.homeIps()[0];
        final int[] course = curriculum.lessonsOf(user.programId() == 0 ? 2 : user.programId());
        final int hours = Draw.between(random, 5, 9);
        final double median = Draw.between(random, 50, 90);
        final double again = Draw.between(random, 33, 50) / 100.0;
        int t = Draw.between(random, 7 * HOUR, 24 * HOUR - hours * HOUR - 10 * 60);
        final int end = t + hours * HOUR;
        int next = random.nextInt(course.length);
        final List<Integer> read = new ArrayList<>();
        final List<Anomalies.Row> injected = new ArrayList<>();
        while (t < end && injected.size() < plannedSize(AnomalyKind.HEAVY_READER)) {
            final int lesson;
            if (!read.isEmpty() && Draw.chance(random, again)) {
                lesson = read.get(random.nextInt(read.size()));
            } else {
                lesson = course[next];
                next = (next + 1) % course.length;
                read.add(lesson);
            }
            injected.add(new Anomalies.Row(t, curriculum.lesson(lesson), user, ip, lesson));
            t += (int) Math.max(15, Math.min(600, Math.round(Draw.logNormal(random, median, 0.6))));
        }
        plan.add(day, injected, AnomalyKind.HEAVY_READER, Label.NONE, "crawl", "client", ip, user);
    }

    /** Three to five students at one home address in the evening, each reading 10-40 pages at a human pace, at the same time. */
    private void sharedHome() {
        final int day = plan.pickDay(false);
        final List<User> present = plan.activeStudents(day);
        if (present.size() < 5) {
            return;
        }
        final int people = Draw.between(random, 3, 5);
        final List<User> household = new ArrayList<>(people);
        for (int i = 0; i < people; i++) {
            household.add(present.remove(random.nextInt(present.size())));
        }
        final String ip = household.get(0).homeIps()[0];
        final int evening = Draw.between(random, 18 * HOUR, 21 * HOUR);
        final List<Anomalies.Row> injected = new ArrayList<>();
        for (final User user : household) {
            final int[] course = curriculum.lessonsOf(user.programId() == 0 ? 2 : user.programId());
            int t = evening + random.nextInt(15 * 60);
            final int pages = Draw.between(random, 10, 40);
            for (int p = 0; p < pages; p++) {
                final int lesson = Draw.chance(random, 0.5) ? curriculum.popular(user.programId() == 0 ? 2 : user.programId(), random)
                        : course[random.nextInt(course.length)];
                injected.add(new Anomalies.Row(t, curriculum.lesson(lesson), user, ip, lesson));
                t += (int) Math.max(4, Math.min(900, Math.round(Draw.logNormal(random, 40, 0.8))));
            }
        }
        injected.sort(Comparator.comparingInt(Anomalies.Row::second));
        plan.add(day, injected, AnomalyKind.SHARED_HOME, Label.NONE, "burst", "ip", ip, null);
    }
}
