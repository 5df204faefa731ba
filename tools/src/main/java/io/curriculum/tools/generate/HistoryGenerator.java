package io.curriculum.tools.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a realistic synthetic access history in the real export format, with injected and labelled
 * anomalies, so the detector has a demo, integration tests and benchmarks without the real data.
 *
 * <p>History: one request per line, {@code date time path user_id cohort_id ip}, space separated, no header,
 * sorted by campus wall-clock time (ties in generation order), {@code cohort_id} as {@code 29.0} or
 * {@code NaN}; no time falls in a spring-forward gap. Readers are the cohorts' students (heavy on class
 * weekdays, light in the evening and at weekends, lighter still as alumni), staff reading every program, and a
 * few accounts without a cohort; they read in sessions with log-normal think times, lessons by Zipf-like
 * popularity or in course order, with the home page, search index, tables of contents and images between, and the
 * site's pages that are no lessons ({@link SiteNoise}: module landing pages, cohorts' own pages, mistyped links).
 * Students in class sit behind two or three shared campus NAT addresses.
 *
 * <p>Labels: see {@link Label} and {@link AnomalyKind}. Normal traffic stays clear of the machine-speed
 * thresholds: no reader opens 30 distinct lessons in 20 s or 200 in an hour, and a NAT address carries few
 * distinct lessons per 20 s; only the labelled scrapers and crawlers cross them.
 *
 * <p>Output is a pure function of the settings: one seeded {@link SplittableRandom} per purpose and per day,
 * no hash-order iteration, no clock. Days are generated, sorted and written one at a time, so memory stays
 * at one day's requests however long the file.
 */
public final class HistoryGenerator {

    private static final int BUFFER = 1 << 20;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final int HOUR = 3600;
    private static final int MAX_SESSION_PAGES = 40;
    /** Shortest human think time between two lesson pages of a session, in seconds. */
    private static final int MIN_THINK = 4;
    private static final int MAX_THINK = 1800;

    private final GeneratorSettings settings;

    public HistoryGenerator(final GeneratorSettings settings) {
        this.settings = settings;
    }

    /** Writes the history (gzipped when its name ends in {@code .gz}) and the labels (JSON Lines) to files. */
    public GenerationResult write(final Path history, final Path labels) throws IOException {
        try (Writer historyOut = writer(history); Writer labelsOut = writer(labels)) {
            return write(historyOut, labelsOut);
        }
    }

    /** Writes the history and the labels to writers, which are flushed, not closed. */
    public GenerationResult write(final Writer history, final Writer labels) throws IOException {
        final SplittableRandom root = new SplittableRandom(settings.seed());
        final Curriculum curriculum = new Curriculum(root.split());
        final Population population = new Population(settings, root.split());
        final int perKind = Math.min(6, 1 + settings.days() / 45);
        final BandAnomalies bands = new BandAnomalies(settings, curriculum, perKind, root.split());
        final Anomalies anomalies = new Anomalies(settings, curriculum, population, bands.days(), perKind, root.split());
        final LessonOveruse overuse = LessonOveruse.plan(settings, curriculum, population, root.split());
        if (overuse != null) {
            bands.exclude(overuse.lesson());
        }
        final CampusHolidays holidays = new CampusHolidays(settings);
        final long[] quota = quotas(population, anomalies, holidays, settings.rows() - anomalies.rows());

        final DayRows rows = new DayRows();
        final Day day = new Day(curriculum, population, anomalies, overuse);
        final SiteNoise noise = new SiteNoise(curriculum);
        long written = 0;
        long anomalyRows = anomalies.rows();
        for (int d = 0; d < settings.days(); d++) {
            final LocalDate date = settings.start().plusDays(d);
            final SplittableRandom random = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + d + 1);
            rows.clear();
            final BandAnomalies.Plan plan = bands.planFor(d, random);
            final int overuseReads = overuse == null ? 0 : overuse.readsOn(date, random);
            final long normal = Math.max(0, quota[d] - BandAnomalies.reserved(plan) - overuseReads);
            day.normal(date, Math.round(normal * (1 - SiteNoise.SHARE)), plan, rows, random);
            noise.addTo(date, rows, normal - rows.size(), new SplittableRandom(settings.seed() * 0xC2B2AE3D27D4EB4FL + d + 1));
            day.normal(date, normal - rows.size(), plan, rows, random);
            final long extra = plan != null && plan.spike() ? day.spike(date, plan, rows, random) : 0;
            anomalyRows += extra + day.overuse(date, overuseReads, rows, random);
            for (final Anomalies.Row row : anomalies.rowsOf(d)) {
                rows.add(row.second(), row.path(), row.user(), row.ip(), row.lesson());
            }
            skipSpringForward(date, rows);
            bands.dayDone(d, rows, plan, extra);
            rows.writeSorted(DATE.format(date), history);
            written += rows.size();
        }
        history.flush();
        final List<Label> injected = new ArrayList<>(anomalies.labels());
        if (overuse != null && overuse.label() != null) {
            injected.add(overuse.label());
        }
        injected.addAll(holidays.labels());
        final List<Label> all = numbered(injected, bands.labels());
        Labels.write(all, labels);
        labels.flush();
        return new GenerationResult(written, all, anomalyRows);
    }

    /** Splits the normal rows over the days in proportion to who is active each day (largest remainder). */
    private long[] quotas(final Population population, final Anomalies anomalies, final CampusHolidays holidays, final long normalRows) {
        final int days = settings.days();
        final double[] weight = new double[days];
        double total = 0;
        for (int d = 0; d < days; d++) {
            final LocalDate date = settings.start().plusDays(d);
            for (final User user : population.users()) {
                if (!anomalies.isInactive(user)) {
                    weight[d] += Day.weight(user, date) * holidays.dip(date);
                }
            }
            total += weight[d];
        }
        final long[] quota = new long[days];
        final double[] remainder = new double[days];
        long given = 0;
        for (int d = 0; d < days; d++) {
            final double exact = total == 0 ? (double) normalRows / days : normalRows * weight[d] / total;
            quota[d] = (long) Math.floor(exact);
            remainder[d] = exact - quota[d];
            given += quota[d];
        }
        final List<Integer> order = new ArrayList<>(days);
        for (int d = 0; d < days; d++) {
            order.add(d);
        }
        order.sort(Comparator.comparingDouble((Integer d) -> -remainder[d]).thenComparingInt(d -> d));
        for (int i = 0; given < normalRows; i = (i + 1) % days) {
            quota[order.get(i)]++;
            given++;
        }
        return quota;
    }

    /** Moves any time inside the day's spring-forward gap (02:00–03:00 in Chicago) past it: such times do not exist. */
    private void skipSpringForward(final LocalDate date, final DayRows rows) {
        final ZoneId zone = settings.zone();
        final ZoneOffsetTransition transition = zone.getRules().nextTransition(date.atStartOfDay(zone).toInstant());
        if (transition == null || !transition.isGap()) {
            return;
        }
        final LocalDateTime before = transition.getDateTimeBefore();
        if (!before.toLocalDate().equals(date)) {
            return;
        }
        rows.skipGap(before.toLocalTime().toSecondOfDay(), (int) transition.getDuration().getSeconds());
    }

    /** Numbers labels per kind in order of their start: {@code burst-scraper-1}, {@code burst-scraper-2}, ... */
    private static List<Label> numbered(final List<Label> machine, final List<Label> band) {
        final List<Label> all = new ArrayList<>(machine);
        all.addAll(band);
        all.sort(Comparator.comparing(Label::from).thenComparing(Label::kind).thenComparing(Label::to));
        final Map<AnomalyKind, Integer> seen = new EnumMap<>(AnomalyKind.class);
        final List<Label> numbered = new ArrayList<>(all.size());
        for (final Label l : all) {
            final int n = seen.merge(l.kind(), 1, Integer::sum);
            numbered.add(new Label(l.kind().label() + "-" + n, l.kind(), l.expect(), l.rule(), l.scope(), l.ip(),
                    l.userId(), l.cohortId(), l.programId(), l.lesson(), l.from(), l.to(), l.rows()));
        }
        return numbered;
    }

    private static Writer writer(final Path path) throws IOException {
        OutputStream out = Files.newOutputStream(path);
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
    }

    /** One day's normal traffic: who reads, when, from where, and what. */
    static final class Day {

        private final Curriculum curriculum;
        private final Population population;
        private final Anomalies anomalies;
        private final LessonOveruse overuse;
        private final double[] cumulative;
        private final User[] readers;

        Day(final Curriculum curriculum, final Population population, final Anomalies anomalies, final LessonOveruse overuse) {
            this.curriculum = curriculum;
            this.population = population;
            this.anomalies = anomalies;
            this.overuse = overuse;
            this.cumulative = new double[population.users().size()];
            this.readers = new User[population.users().size()];
        }

        /** How much a user reads on a day, relative to a student on a class weekday. */
        static double weight(final User user, final LocalDate date) {
            final boolean weekday = Population.isWeekday(date);
            final double base = switch (user.kind()) {
                case STUDENT -> user.isStudentOn(date) ? (weekday ? 1.0 : 0.15)
                        : user.isAlumnusOn(date) ? (weekday ? 0.06 : 0.04) : 0.0;
                case STAFF -> weekday ? 0.5 : 0.05;
                case NO_COHORT -> 0.1;
            };
            return base * user.activity();
        }

        /** Sessions of the day's readers, drawn in proportion to their weight, until {@code quota} requests. */
        void normal(final LocalDate date, final long quota, final BandAnomalies.Plan plan, final DayRows rows,
                    final SplittableRandom random) {
            int size = 0;
            double sum = 0;
            for (final User user : population.users()) {
                final double w = anomalies.isInactive(user) ? 0 : weight(user, date);
                if (w > 0) {
                    sum += w;
                    readers[size] = user;
                    cumulative[size] = sum;
                    size++;
                }
            }
            if (size == 0) {
                return;
            }
            long left = quota;
            while (left > 0) {
                final User user = readers[Draw.weighted(cumulative, size, random)];
                left -= session(user, date, (int) Math.min(left, MAX_SESSION_PAGES * 2), plan, rows, random);
            }
        }

        /** Adds a spike's extra hits: single human page views by the program's readers, spread over the day. */
        long spike(final LocalDate date, final BandAnomalies.Plan plan, final DayRows rows, final SplittableRandom random) {
            int natural = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (rows.lesson(i) == plan.lesson() && rows.user(i).programId() == plan.program()) {
                    natural++;
                }
            }
            final List<User> readersOfProgram = new ArrayList<>();
            for (final User user : population.users()) {
                if (user.programId() == plan.program() && user.isStudentOn(date) && !anomalies.isInactive(user)) {
                    readersOfProgram.add(user);
                }
            }
            if (readersOfProgram.isEmpty()) {
                return 0;
            }
            final int extra = Math.max(0, plan.target() - natural);
            final String path = curriculum.lesson(plan.lesson());
            for (int i = 0; i < extra; i++) {
                final User user = readersOfProgram.get(random.nextInt(readersOfProgram.size()));
                final int second = Draw.between(random, 8 * HOUR, 21 * HOUR);
                rows.add(second, path, user, ip(user, date, second, random), plan.lesson());
            }
            return extra;
        }

        /** Adds the over-reading cohort's {@code reads} extra reads of its lesson (see {@link LessonOveruse}); returns how many. */
        long overuse(final LocalDate date, final int reads, final DayRows rows, final SplittableRandom random) {
            if (overuse == null || reads == 0) {
                return 0;
            }
            final List<User> students = new ArrayList<>();
            for (final User user : population.users()) {
                if (user.kind() == User.Kind.STUDENT && user.cohortId().equals(overuse.cohort().id()) && user.isStudentOn(date)
                        && !anomalies.isInactive(user)) {
                    students.add(user);
                }
            }
            final long before = overuse.rows();
            overuse.read(date, reads, students, rows, random, (user, second, r) -> ip(user, date, second, r));
            return overuse.rows() - before;
        }

        /** One session: home page or straight to a lesson, then lessons in course order or by popularity. */
        private int session(final User user, final LocalDate date, final int maxRows, final BandAnomalies.Plan plan,
                            final DayRows rows, final SplittableRandom random) {
            int t = start(user, date, random);
            final String ip = ip(user, date, t, random);
            final int program = readingProgram(user, random);
            final int pages = (int) Math.max(1, Math.min(MAX_SESSION_PAGES, Math.round(Draw.logNormal(random, 6, 0.8))));
            int added = 0;
            int lesson = -1;
            if (Draw.chance(random, 0.3) && rows.add(t, "/", user, ip, -1)) {
                added++;
                t += think(random);
            }
            for (int p = 0; p < pages && added < maxRows; p++) {
                lesson = lesson >= 0 && Draw.chance(random, 0.45)
                        ? curriculum.next(program, lesson, random)
                        : curriculum.popular(Draw.chance(random, 0.05) ? 1 + random.nextInt(4) : program, random);
                if (plan != null && !plan.spike() && lesson == plan.lesson() && user.programId() == plan.program()) {
                    lesson = curriculum.popular(program, random);
                    if (lesson == plan.lesson()) {
                        continue;
                    }
                }
                if (overuse != null && overuse.skips(user, lesson, random)) {
                    lesson = curriculum.popular(program, random);
                    if (lesson == overuse.lesson()
                            || plan != null && !plan.spike() && lesson == plan.lesson() && user.programId() == plan.program()) {
                        continue;
                    }
                }
                if (!rows.add(t, curriculum.lesson(lesson), user, ip, lesson)) {
                    break;
                }
                added++;
                if (Draw.chance(random, 0.2)) {
                    final int assets = Draw.between(random, 1, 3);
                    for (int a = 0; a < assets && added < maxRows; a++) {
                        if (rows.add(t + random.nextInt(2), curriculum.asset(lesson, random), user, ip, -1)) {
                            added++;
                        }
                    }
                }
                if (Draw.chance(random, 0.03) && added < maxRows && rows.add(t + 1, "search/search_index.json", user, ip, -1)) {
                    added++;
                }
                if (Draw.chance(random, 0.01) && added < maxRows && rows.add(t + 1, curriculum.module(lesson) + "/toc", user, ip, -1)) {
                    added++;
                }
                t += think(random);
            }
            return added;
        }

        private static int think(final SplittableRandom random) {
            return (int) Math.max(MIN_THINK, Math.min(MAX_THINK, Math.round(Draw.logNormal(random, 45, 1.0))));
        }

        /** Second of the day a session starts: class hours for students on weekdays, evenings for alumni. */
        private static int start(final User user, final LocalDate date, final SplittableRandom random) {
            final boolean weekday = Population.isWeekday(date);
            final double u = random.nextDouble();
            if (u < 0.015) {
                return random.nextInt(7 * HOUR);
            }
            if (user.isStudentOn(date) && weekday) {
                return u < 0.8 ? uniform(random, 8, 17) : uniform(random, 17, 24);
            }
            if (user.kind() == User.Kind.STAFF && weekday) {
                return u < 0.85 ? uniform(random, 7, 18) : uniform(random, 18, 24);
            }
            if (user.isAlumnusOn(date)) {
                return u < 0.6 ? uniform(random, 18, 24) : uniform(random, 7, 18);
            }
            return uniform(random, 9, 24);
        }

        private static int uniform(final SplittableRandom random, final int fromHour, final int toHour) {
            return fromHour * HOUR + random.nextInt((toHour - fromHour) * HOUR);
        }

        /** Campus NAT in class hours (students, staff), else one of the user's home addresses. */
        private String ip(final User user, final LocalDate date, final int second, final SplittableRandom random) {
            final boolean classHours = Population.isWeekday(date) && second >= 8 * HOUR && second < 17 * HOUR;
            final double atCampus = user.isStudentOn(date) ? 0.58 : user.kind() == User.Kind.STAFF ? 0.4 : 0;
            if (classHours && Draw.chance(random, atCampus)) {
                return population.nats().get(user.nat());
            }
            final String[] homes = user.homeIps();
            return homes.length == 1 || Draw.chance(random, 0.7) ? homes[0] : homes[1 + random.nextInt(homes.length - 1)];
        }

        /** The program whose lessons a session reads: the user's own; staff browse every program. */
        private static int readingProgram(final User user, final SplittableRandom random) {
            if (user.kind() == User.Kind.STAFF) {
                final double u = random.nextDouble();
                return u < 0.6 ? 2 : u < 0.85 ? 3 : u < 0.95 ? 4 : 1;
            }
            return user.programId() == 0 ? 2 : user.programId();
        }
    }
}
