package io.curriculum.app.api;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.Lessons;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.Role;
import io.curriculum.detector.views.OveruseCriteria;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analysts' top, least, over-use and inactive answers computed straight from a history file and the cohorts table, in
 * one pass and plain maps, with no Kafka and none of the views' code: the independent count the API and the report are
 * checked against. It follows the answers' documented definitions (README, {@code Answers}, {@code PathKinds}).
 */
final class BatchAnswers {

    /** A lesson of a program and its hits. */
    record Lesson(String lesson, long hits) {
    }

    /** An over-used lesson of a cohort: its hits, the hits expected at the other cohorts' rate, log10 of the Poisson tail. */
    record Overuse(int cohortId, String lesson, long hits, double expected, double log10P) {
    }

    private static final double TAUGHT_SHARE = 0.01;
    private static final int SEVERAL = 3;

    private final Map<Integer, Cohort> cohorts = new HashMap<>();
    /** Hits, first and last read by {@code program|lesson}. */
    private final Map<String, long[]> programLessons = new HashMap<>();
    private final Map<String, Set<Long>> readers = new HashMap<>();
    /** Student hits by cohort, then lesson. */
    private final Map<Integer, Map<String, Long>> cohortLessons = new HashMap<>();
    /** Student hits by {@code program|section}. */
    private final Map<String, Long> sectionStudentHits = new HashMap<>();
    private final Map<Integer, Long> programStudentHits = new HashMap<>();
    private final Map<Long, Enrolment> enrolments = new HashMap<>();
    private long newest = Long.MIN_VALUE;
    private long firstTime = Long.MAX_VALUE;
    private long lastTime = Long.MIN_VALUE;
    private final DetectorConfig config;

    /** A user's current enrolment as the inactive-student rule sees it. */
    private static final class Enrolment {
        int cohortId = -1;
        LocalDate windowStart;
        LocalDate windowEnd;
        long inWindow;
    }

    BatchAnswers(final Path history, final List<CohortRow> cohortRows, final DetectorConfig config) {
        this.config = config;
        cohortRows.forEach(row -> cohorts.put(row.id(), row.toCohort()));
        final ZoneId zone = config.campusZone();
        for (final HistoryRow row : HistoryReader.readAll(history, bad -> { })) {
            final long time = row.localTime().atZone(zone).toInstant().toEpochMilli();
            final LocalDate day = row.localTime().toLocalDate();
            if (firstTime == Long.MAX_VALUE) {
                firstTime = time;
            }
            lastTime = Math.max(lastTime, time);
            final Cohort cohort = row.cohortId() == null ? null : cohorts.get(row.cohortId());
            final int program = cohort == null ? 0 : cohort.programId();
            final Role role = Role.of(cohort, day);
            final String lesson = Lessons.normalize(row.path());
            if (lesson != null) {
                newest = Math.max(newest, time);
                final long[] stats = programLessons.computeIfAbsent(program + "|" + lesson, k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
                stats[0]++;
                stats[1] = Math.min(stats[1], time);
                stats[2] = Math.max(stats[2], time);
                if (row.userId() != null) {
                    readers.computeIfAbsent(lesson, k -> new HashSet<>()).add(row.userId());
                }
                if (role == Role.STUDENT) {
                    cohortLessons.computeIfAbsent(row.cohortId(), k -> new HashMap<>()).merge(lesson, 1L, Long::sum);
                    sectionStudentHits.merge(program + "|" + section(lesson), 1L, Long::sum);
                    programStudentHits.merge(program, 1L, Long::sum);
                }
            }
            if (role == Role.STUDENT && row.userId() != null) {
                final Enrolment e = enrolments.computeIfAbsent(row.userId(), k -> new Enrolment());
                if (e.cohortId != cohort.id()) {
                    enrol(e, cohort, zone);
                }
                if (e.windowEnd != null && !day.isBefore(e.windowStart) && day.isBefore(e.windowEnd)) {
                    e.inWindow++;
                }
            }
        }
    }

    private void enrol(final Enrolment e, final Cohort cohort, final ZoneId zone) {
        final LocalDate observed = java.time.Instant.ofEpochMilli(firstTime).atZone(zone).toLocalDate();
        final LocalDate from = cohort.startDate().isAfter(observed) ? cohort.startDate() : observed;
        LocalDate end = from;
        for (int counted = 0; counted < config.views().inactiveClassDays(); end = end.plusDays(1)) {
            if (end.getDayOfWeek() != DayOfWeek.SATURDAY && end.getDayOfWeek() != DayOfWeek.SUNDAY) {
                counted++;
            }
        }
        e.cohortId = cohort.id();
        e.windowStart = from;
        e.windowEnd = end.isAfter(cohort.endDate().plusDays(1)) ? null : end;
        e.inWindow = 0;
    }

    /** Students whose current enrolment's window has closed (its end plus the grace before the newest access) with too few accesses. */
    Set<Long> inactive() {
        final Set<Long> users = new TreeSet<>();
        enrolments.forEach((user, e) -> {
            final boolean judged = e.windowEnd != null && e.windowEnd.atStartOfDay(config.campusZone()).toInstant().toEpochMilli()
                    + config.grace().toMillis() <= lastTime;
            if (judged && e.inWindow < config.views().inactiveMinAccesses()) {
                users.add(user);
            }
        });
        return users;
    }

    private static String section(final String lesson) {
        final int slash = lesson.indexOf('/');
        return slash < 0 ? lesson : lesson.substring(0, slash);
    }

    /** Pages under a section read by three users. */
    private List<String> established() {
        if (established == null) {
            established = readers.entrySet().stream()
                    .filter(e -> e.getKey().contains("/") && !e.getKey().startsWith("cohorts/") && e.getValue().size() >= SEVERAL)
                    .map(Map.Entry::getKey).toList();
        }
        return established;
    }

    private List<String> established;

    private Set<String> knownSections() {
        final Set<String> known = new HashSet<>();
        established().forEach(l -> known.add(section(l)));
        return known;
    }

    /**
     * A lesson: not under {@code cohorts/}, not a known section's landing page, read by three users or by two in a known
     * section, and no mistyping of a page read by three (of its own section when that is known; numbering and %20 aside): within
     * a quarter of its length in edits when fewer than three read it, one edit from a page with 20 times its hits otherwise.
     */
    boolean isLesson(final String lesson) {
        return lessonKinds.computeIfAbsent(lesson, this::judge);
    }

    private final Map<String, Boolean> lessonKinds = new HashMap<>();

    private boolean judge(final String lesson) {
        final Set<String> known = knownSections();
        final int users = readers.getOrDefault(lesson, Set.of()).size();
        if (lesson.startsWith("cohorts/") || !lesson.contains("/") && known.contains(lesson)) {
            return false;
        }
        final boolean knownSection = lesson.contains("/") && known.contains(section(lesson));
        if (users < 2 || users < SEVERAL && !knownSection) {
            return false;
        }
        final long hits = hitsOf(lesson);
        final String a = typed(lesson);
        for (final String page : established()) {
            if (page.equals(lesson) || knownSection && !section(page).equals(section(lesson))) {
                continue;
            }
            final int d = levenshtein(a, typed(page));
            if (users < SEVERAL ? d <= Math.max(2, a.length() / 4) : d <= 1 && hitsOf(page) >= 20 * hits) {
                return false;
            }
        }
        return true;
    }

    private long hitsOf(final String lesson) {
        long hits = 0;
        for (final Map.Entry<String, long[]> e : programLessons.entrySet()) {
            if (e.getKey().substring(e.getKey().indexOf('|') + 1).equals(lesson)) {
                hits += e.getValue()[0];
            }
        }
        return hits;
    }

    private static String typed(final String path) {
        return path.replace("%20", "").replaceAll("(^|/)[0-9]+-", "$1").trim();
    }

    private static int levenshtein(final String a, final String b) {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }

    /** Paths read once or twice outside the curriculum's structure. */
    long brokenLinks() {
        final Set<String> known = knownSections();
        return readers.keySet().stream().filter(l -> !l.startsWith("cohorts/") && !(!l.contains("/") && known.contains(l)) && !isLesson(l)).count();
    }

    /** Landing pages (a known section read as a page). */
    Set<String> landingPages() {
        final Set<String> known = knownSections();
        final Set<String> landing = new TreeSet<>();
        readers.keySet().stream().filter(l -> !l.contains("/") && known.contains(l)).forEach(landing::add);
        return landing;
    }

    List<Lesson> top(final int program, final int limit) {
        return lessonsOf(program).stream().sorted(Comparator.comparingLong(Lesson::hits).reversed().thenComparing(Lesson::lesson))
                .limit(limit).toList();
    }

    List<Lesson> least(final int program, final int limit) {
        final long cutoff = newest - config.views().newLessonAge().toMillis();
        final long students = programStudentHits.getOrDefault(program, 0L);
        return lessonsOf(program).stream()
                .filter(l -> programLessons.get(program + "|" + l.lesson())[1] <= cutoff)
                .filter(l -> {
                    final long hits = sectionStudentHits.getOrDefault(program + "|" + section(l.lesson()), 0L);
                    return hits > 0 && hits >= TAUGHT_SHARE * students;
                })
                .filter(l -> {
                    final long[] stats = programLessons.get(program + "|" + l.lesson());
                    return cohorts.values().stream().anyMatch(c -> c.programId() == program && !c.isStaff() && active(c, stats[1], stats[2]));
                })
                .sorted(Comparator.comparingLong(Lesson::hits).thenComparing(Lesson::lesson)).limit(limit).toList();
    }

    private List<Lesson> lessonsOf(final int program) {
        final List<Lesson> lessons = new ArrayList<>();
        programLessons.forEach((key, stats) -> {
            final String lesson = key.substring(key.indexOf('|') + 1);
            if (key.startsWith(program + "|") && isLesson(lesson)) {
                lessons.add(new Lesson(lesson, stats[0]));
            }
        });
        return lessons;
    }

    /** Whether the cohort's dates overlap the UTC days of {@code from} to {@code to}. */
    private static boolean active(final Cohort c, final long from, final long to) {
        return !c.startDate().isAfter(LocalDate.ofEpochDay(Math.floorDiv(to, 86_400_000L)))
                && !c.endDate().isBefore(LocalDate.ofEpochDay(Math.floorDiv(from, 86_400_000L)));
    }

    /** Every over-used (cohort, lesson) by the criteria, smallest p first, then larger ratio, cohort id, lesson. */
    List<Overuse> overuse(final OveruseCriteria criteria) {
        final Map<Integer, Long> totals = new HashMap<>();
        cohortLessons.forEach((c, lessons) -> totals.put(c, lessons.values().stream().mapToLong(Long::longValue).sum()));
        final List<Overuse> found = new ArrayList<>();
        for (final Map.Entry<Integer, Map<String, Long>> own : cohortLessons.entrySet()) {
            final int program = cohorts.get(own.getKey()).programId();
            for (final Map.Entry<String, Long> lesson : own.getValue().entrySet()) {
                if (lesson.getKey().startsWith("cohorts/")) {
                    continue;
                }
                final long[] life = programLessons.get(program + "|" + lesson.getKey());
                long othersHits = 0;
                long othersTotal = 0;
                for (final Map.Entry<Integer, Map<String, Long>> other : cohortLessons.entrySet()) {
                    final Cohort o = cohorts.get(other.getKey());
                    if (other.getKey().equals(own.getKey()) || o.programId() != program || !active(o, life[1], life[2])) {
                        continue;
                    }
                    othersHits += other.getValue().getOrDefault(lesson.getKey(), 0L);
                    othersTotal += totals.get(other.getKey());
                }
                if (othersHits == 0) {
                    continue;
                }
                final long k = lesson.getValue();
                final double expected = (double) totals.get(own.getKey()) * othersHits / othersTotal;
                if (k >= criteria.minHits() && k / expected >= criteria.minRatio()) {
                    final double log10P = log10Tail(k, expected);
                    if (log10P <= Math.log10(criteria.maxPValue())) {
                        found.add(new Overuse(own.getKey(), lesson.getKey(), k, expected, log10P));
                    }
                }
            }
        }
        found.sort(Comparator.comparingDouble(Overuse::log10P).thenComparing(Comparator.comparingDouble((Overuse o) -> o.hits() / o.expected()).reversed())
                .thenComparingInt(Overuse::cohortId).thenComparing(Overuse::lesson));
        return found;
    }

    /** log10 P(X ≥ k), X ~ Poisson(λ): the probabilities from k on, summed in log space (ln k! as a sum of logs). */
    static double log10Tail(final long k, final double lambda) {
        double logFactorial = 0;
        for (long i = 2; i <= k; i++) {
            logFactorial += Math.log(i);
        }
        final double first = -lambda + k * Math.log(lambda) - logFactorial;
        double logSum = first;
        double log = first;
        for (long j = k + 1; j < k + 1_000_000; j++) {
            log += Math.log(lambda) - Math.log(j);
            final double high = Math.max(logSum, log);
            logSum = high + Math.log(Math.exp(logSum - high) + Math.exp(log - high));
            if (log < logSum - 40) {
                break;
            }
        }
        return logSum / Math.log(10);
    }
}
