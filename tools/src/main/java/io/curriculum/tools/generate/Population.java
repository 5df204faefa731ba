package io.curriculum.tools.generate;

import io.curriculum.tools.history.CohortRow;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The readers of a generated history and the addresses they read from. Students come from the cohorts that
 * overlap the span (plus alumni of cohorts that ended in the year before it); their number per cohort grows
 * with the requested rows per day, so each reader keeps a human pace however dense the file. Two or three
 * campus NAT addresses are shared by everyone in class; every user also has a couple of home addresses.
 */
final class Population {

    /** Pages a student reads on an average class day; sets the class size for the requested density. */
    private static final double PAGES_PER_STUDENT_DAY = 35;
    private static final int MIN_CLASS = 25;
    private static final int MAX_CLASS = 20_000;
    private static final int NO_COHORT_USERS = 6;
    /** Requests per campus NAT address per day above which another address is opened (keeps a NAT human). */
    private static final double NAT_ROWS_PER_DAY = 4_000;
    private static final int[][] HOME_PREFIXES = {
            {24, 28}, {67, 10}, {67, 11}, {70, 121}, {72, 177}, {97, 99}, {99, 43}, {104, 190}, {107, 77},
            {136, 50}, {166, 70}, {173, 174}, {184, 4}, {204, 44}, {208, 54}, {45, 22}, {71, 42}, {76, 185}};

    private final List<User> users = new ArrayList<>();
    private final List<String> nats = new ArrayList<>();
    private final Set<String> taken = new HashSet<>();
    private final SplittableRandom random;
    private final int classSize;
    private int nextId = 1;

    Population(final GeneratorSettings settings, final SplittableRandom random) {
        this.random = random;
        final LocalDate start = settings.start();
        final LocalDate end = settings.end();
        final List<CohortRow> cohorts = new ArrayList<>(settings.cohorts());
        cohorts.sort(Comparator.comparing(CohortRow::startDate).thenComparingInt(CohortRow::id));

        long classDays = 0;
        for (final CohortRow c : cohorts) {
            if (!GeneratorSettings.isStaff(c)) {
                classDays += weekdays(max(c.startDate(), start), min(c.endDate(), end));
            }
        }
        final double rowsPerDay = (double) settings.rows() / settings.days();
        classSize = (int) Math.max(MIN_CLASS, Math.min(MAX_CLASS,
                Math.round(settings.rows() * 0.7 / (PAGES_PER_STUDENT_DAY * Math.max(1, classDays)))));
        final int natCount = (int) Math.max(2, Math.ceil(rowsPerDay * 0.4 / NAT_ROWS_PER_DAY));
        for (int i = 0; i < natCount; i++) {
            final String nat = i == 0 ? "97.105.19.58" : i == 1 ? "97.105.19.61" : "97.105." + (19 + i / 200) + "." + (62 + i % 200);
            nats.add(nat);
            taken.add(nat);
        }

        int classIndex = 0;
        for (final CohortRow c : cohorts) {
            if (GeneratorSettings.isStaff(c)) {
                final int staff = Math.max(5, classSize / 5);
                for (int i = 0; i < staff; i++) {
                    add(c, User.Kind.STAFF, 0);
                }
                continue;
            }
            final boolean overlaps = !c.startDate().isAfter(end) && !c.endDate().isBefore(start);
            final boolean recentAlumni = c.endDate().isBefore(start) && !c.endDate().isBefore(start.minusYears(1));
            if (!overlaps && !recentAlumni) {
                continue;
            }
            final int size = (int) Math.round(classSize * (0.8 + 0.4 * random.nextDouble()));
            final int nat = classIndex++ % natCount;
            for (int i = 0; i < size; i++) {
                add(c, User.Kind.STUDENT, nat);
            }
        }
        for (int i = 0; i < NO_COHORT_USERS; i++) {
            add(null, User.Kind.NO_COHORT, 0);
        }
    }

    List<User> users() {
        return users;
    }

    List<String> nats() {
        return nats;
    }

    /** A public address no one else in the file uses (a scraper's or crawler's own). */
    String freshIp() {
        while (true) {
            final int[] prefix = HOME_PREFIXES[random.nextInt(HOME_PREFIXES.length)];
            final String ip = prefix[0] + "." + prefix[1] + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
            if (taken.add(ip)) {
                return ip;
            }
        }
    }

    /** A public address in the same /24 as {@code neighbour} that no one else in the file uses (an address-rotating bot's next). */
    String freshIpBeside(final String neighbour) {
        final String prefix = neighbour.substring(0, neighbour.lastIndexOf('.') + 1);
        for (int attempt = 0; attempt < 1000; attempt++) {
            final String ip = prefix + random.nextInt(1, 255);
            if (taken.add(ip)) {
                return ip;
            }
        }
        return freshIp();
    }

    /** A user id no generated reader has: a dedicated scraper account. */
    User dedicatedUser() {
        final int id = nextId++;
        final User user = new User(users.size(), id, null, User.Kind.NO_COHORT, Integer.toString(id), "NaN",
                new String[] {freshIp()}, 0, 0);
        users.add(user);
        return user;
    }

    private void add(final CohortRow cohort, final User.Kind kind, final int nat) {
        final int id = nextId++;
        final int homes = random.nextInt(10) < 2 ? 1 : random.nextInt(10) < 8 ? 2 : 3;
        final String[] homeIps = new String[homes];
        for (int i = 0; i < homes; i++) {
            homeIps[i] = freshIp();
        }
        final double activity = Draw.logNormal(random, 1.0, 0.45);
        users.add(new User(users.size(), id, cohort, kind, Integer.toString(id),
                cohort == null ? "NaN" : cohort.id() + ".0", homeIps, nat, activity));
    }

    static long weekdays(final LocalDate from, final LocalDate to) {
        long n = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (isWeekday(d)) {
                n++;
            }
        }
        return n;
    }

    static boolean isWeekday(final LocalDate day) {
        final DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }

    private static LocalDate max(final LocalDate a, final LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(final LocalDate a, final LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
