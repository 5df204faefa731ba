package io.curriculum.detector.views;

import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.CohortLessonKey;
import io.curriculum.detector.model.LessonKey;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.model.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analysts' six questions answered from merged {@link Views}; pure, no Kafka. Hits count pages only (assets, indexes
 * and the home page are none, see {@code Lessons.normalize}); a page's program is its reader's. Lesson rankings count lessons
 * only: module landing pages, cohorts' own pages and broken links are answered apart ({@link PathKinds}).
 */
public final class Answers {

    /** A section is another program's when the reader's program makes less than this share of its student hits. */
    static final double FOREIGN_SHARE = 0.05;
    /** ... and the section has at least this many student hits (else nothing can be said) ... */
    static final long FOREIGN_MIN_SECTION_HITS = 50;
    /** ... and the reader read it at least this often. */
    static final int FOREIGN_MIN_USER_HITS = 3;

    /** A module is taught in a program when its students make at least this share of their hits in it. */
    static final double TAUGHT_SHARE = 0.01;

    private final Views views;
    private final long newest;
    private PathKinds kinds;

    public Answers(final Views views) {
        this.views = views;
        this.newest = views.lessons.values().stream().mapToLong(LessonStats::lastSeen).max().orElse(0);
    }

    /** One page of a program: hits by role, the distinct cohorts whose students read it (of all that read the program). */
    public record LessonRow(int programId, String program, String lesson, long hits, long studentHits, long alumniHits, long staffHits,
                            int cohorts, int programCohorts, Instant firstSeen, Instant lastSeen) {
    }

    /** What each read path is: lesson, module landing page, a cohort's own page, or a broken link ({@link PathKinds}). */
    public PathKinds pathKinds() {
        if (kinds == null) {
            kinds = new PathKinds(views.lessons);
        }
        return kinds;
    }

    /** Question 1: the most-read lessons of a program (lessons only: no landing pages, cohort pages or broken links), most hits first. */
    public List<LessonRow> topLessons(final int programId, final int limit) {
        return pages(programId, PathKinds.Kind.LESSON).stream()
                .sorted(Comparator.comparingLong(LessonRow::hits).reversed().thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    /** The module landing pages of a program ({@code javascript-i}), apart from its lessons, most hits first. */
    public List<LessonRow> landingPages(final int programId, final int limit) {
        return pages(programId, PathKinds.Kind.LANDING).stream()
                .sorted(Comparator.comparingLong(LessonRow::hits).reversed().thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    /**
     * Question 5: the least-read lessons of a program, fewest hits first, over the lessons that were available to its readers:
     * lessons (not broken links, landing or cohort pages) of a module the program teaches (its students made at least
     * {@value #TAUGHT_SHARE} of their hits in it), read while a cohort of the program was active, and first read at least
     * {@code newLessonAge} before the newest access (else too new to judge).
     */
    public List<LessonRow> leastLessons(final int programId, final int limit, final Duration newLessonAge) {
        final long cutoff = newest - newLessonAge.toMillis();
        final Set<String> taught = taughtSections(programId);
        final List<Cohort> cohorts = views.cohorts.values().stream().filter(c -> c.programId() == programId && !c.isStaff()).toList();
        return pages(programId, PathKinds.Kind.LESSON).stream()
                .filter(row -> row.firstSeen().toEpochMilli() <= cutoff)
                .filter(row -> taught.contains(section(row.lesson())))
                .filter(row -> cohorts.stream().anyMatch(c -> overlaps(c, row.firstSeen().toEpochMilli(), row.lastSeen().toEpochMilli())))
                .sorted(Comparator.comparingLong(LessonRow::hits).thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    /** Question 6: what a program's alumni keep reading after graduation (lessons), most alumni hits first. */
    public List<LessonRow> alumniTopics(final int programId, final int limit) {
        return pages(programId, PathKinds.Kind.LESSON).stream().filter(row -> row.alumniHits() > 0)
                .sorted(Comparator.comparingLong(LessonRow::alumniHits).reversed().thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    /** A broken or mistyped link: its hits over every program, how many distinct users read it (1 or 2), the lesson it likely meant. */
    public record BrokenLink(String path, long hits, int readers, String nearestLesson, Instant firstSeen) {
    }

    /** The broken or mistyped links with their count: the most read first, at most {@code limit} of {@code total}. */
    public record BrokenLinks(int total, long hits, List<BrokenLink> links) {
    }

    /** Read paths that are no page of the curriculum (see {@link PathKinds}), most hits first, with the nearest lesson. */
    public BrokenLinks brokenLinks(final int limit) {
        final PathKinds k = pathKinds();
        final List<String> broken = k.all(PathKinds.Kind.BROKEN);
        final long hits = broken.stream().mapToLong(p -> k.path(p).hits()).sum();
        final List<BrokenLink> links = broken.stream()
                .sorted(Comparator.comparingLong((String p) -> -k.path(p).hits()).thenComparing(p -> p))
                .limit(limit)
                .map(p -> new BrokenLink(p, k.path(p).hits(), k.path(p).readers().length, k.nearestLesson(p), Instant.ofEpochMilli(k.path(p).firstSeen())))
                .toList();
        return new BrokenLinks(broken.size(), hits, links);
    }

    private List<LessonRow> pages(final int programId, final PathKinds.Kind kind) {
        final PathKinds k = pathKinds();
        final Set<Integer> programCohorts = new HashSet<>();
        final List<Map.Entry<String, LessonStats>> own = new ArrayList<>();
        for (final Map.Entry<String, LessonStats> entry : views.lessons.entrySet()) {
            final LessonKey key = LessonKey.parse(entry.getKey());
            if (key.programId() == programId) {
                for (final int cohort : entry.getValue().studentCohorts()) {
                    programCohorts.add(cohort);
                }
                if (k.kind(key.lesson()) == kind) {
                    own.add(Map.entry(key.lesson(), entry.getValue()));
                }
            }
        }
        final List<LessonRow> rows = new ArrayList<>(own.size());
        for (final Map.Entry<String, LessonStats> entry : own) {
            final LessonStats s = entry.getValue();
            rows.add(new LessonRow(programId, Program.name(programId), entry.getKey(), s.hits(), s.studentHits(),
                    s.alumniHits(), s.staffHits(), s.studentCohorts().length, programCohorts.size(),
                    Instant.ofEpochMilli(s.firstSeen()), Instant.ofEpochMilli(s.lastSeen())));
        }
        return rows;
    }

    /** The sections (first segments) in which a program's students made at least {@value #TAUGHT_SHARE} of their hits. */
    private Set<String> taughtSections(final int programId) {
        final Map<String, Long> bySection = new HashMap<>();
        long total = 0;
        for (final Map.Entry<String, LessonStats> entry : views.lessons.entrySet()) {
            final LessonKey key = LessonKey.parse(entry.getKey());
            if (key.programId() == programId) {
                bySection.merge(section(key.lesson()), entry.getValue().studentHits(), Long::sum);
                total += entry.getValue().studentHits();
            }
        }
        final long all = total;
        final Set<String> taught = new HashSet<>();
        bySection.forEach((section, hits) -> {
            if (hits > 0 && hits >= TAUGHT_SHARE * all) {
                taught.add(section);
            }
        });
        return taught;
    }

    private static String section(final String lesson) {
        final int slash = lesson.indexOf('/');
        return slash < 0 ? lesson : lesson.substring(0, slash);
    }

    /** Whether a cohort was active (start to end date, UTC days) on some day from {@code from} to {@code to} (epoch ms). */
    static boolean overlaps(final Cohort cohort, final long from, final long to) {
        return !cohort.startDate().isAfter(utcDay(to)) && !cohort.endDate().isBefore(utcDay(from));
    }

    private static LocalDate utcDay(final long epochMilli) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMilli, 86_400_000L));
    }

    /** The programs that have lessons, ascending. */
    public List<Integer> programs() {
        final Set<Integer> programs = new TreeSet<>();
        for (final String key : views.lessons.keySet()) {
            programs.add(LessonKey.parse(key).programId());
        }
        return List.copyOf(programs);
    }

    /**
     * A cohort's students' hits on a lesson against the program's other cohorts that were active while the lesson was read:
     * {@code hits} of the cohort's {@code cohortHits}, {@code othersHits} of their {@code othersCohortHits}; {@code expected}
     * the cohort's hits at the others' rate, {@code ratio} hits / expected, {@code log10PValue} the Poisson upper tail
     * log10 P(X ≥ hits | expected) ({@code pValue} the same, 0 below a double's range); {@code overused} by the criteria.
     */
    public record OveruseRow(int cohortId, String cohort, int programId, String program, String lesson, long hits, long cohortHits,
                             long othersHits, long othersCohortHits, int otherCohorts, double expected, double ratio, double log10PValue,
                             double pValue, boolean overused) {
    }

    /** A page a cohort read that cannot be compared with the other cohorts, and why; listed apart from the over-use ranking. */
    public record CohortPageRow(int cohortId, String cohort, int programId, String program, String lesson, long hits, String reason) {
    }

    /**
     * Question 2 over every cohort: the over-used lessons, most significant first, the cohorts' own pages apart, and the cohorts
     * that could not be compared at all (no other cohort of their program has student hits).
     */
    public record Overuse(String criteria, int overusedTotal, List<OveruseRow> overused, int cohortPagesTotal, List<CohortPageRow> cohortPages,
                          List<String> cohortsNotCompared) {
    }

    /** Question 2 for one cohort: its lessons, over-used and most significant first, and its own pages apart. */
    public record CohortOveruse(int cohortId, String cohort, int programId, String program, long studentHits, String criteria,
                                List<OveruseRow> lessons, List<CohortPageRow> cohortPages) {
    }

    /**
     * Question 2: the (cohort, lesson) pairs whose hits pass {@code criteria} against the program's other cohorts, ranked by
     * significance (smallest p first, then larger ratio), at most {@code limit}; the pages no other cohort could be compared on
     * (a {@code cohorts/…} page, no other cohort of the program active while it was read, or none of them read it) apart,
     * most hits first.
     */
    public Overuse overuse(final OveruseCriteria criteria, final int limit) {
        final List<OveruseRow> rows = new ArrayList<>();
        final List<CohortPageRow> apart = new ArrayList<>();
        final List<String> alone = new ArrayList<>();
        compare(criteria, null, rows, apart, alone);
        final List<OveruseRow> flagged = rows.stream().filter(OveruseRow::overused).sorted(BY_SIGNIFICANCE).toList();
        apart.sort(Comparator.comparingLong(CohortPageRow::hits).reversed().thenComparingInt(CohortPageRow::cohortId)
                .thenComparing(CohortPageRow::lesson));
        return new Overuse(criteria.describe(), flagged.size(), flagged.subList(0, Math.min(limit, flagged.size())), apart.size(),
                apart.subList(0, Math.min(limit, apart.size())), alone.stream().sorted().toList());
    }

    /** Question 2 for one cohort: its lessons, the over-used first, by significance, at most {@code limit}; null without student hits. */
    public CohortOveruse overused(final int cohortId, final OveruseCriteria criteria, final int limit) {
        final List<OveruseRow> rows = new ArrayList<>();
        final List<CohortPageRow> apart = new ArrayList<>();
        final Long total = compare(criteria, cohortId, rows, apart, new ArrayList<>());
        if (total == null) {
            return null;
        }
        rows.sort(Comparator.comparing(OveruseRow::overused).reversed().thenComparing(BY_SIGNIFICANCE));
        apart.sort(Comparator.comparingLong(CohortPageRow::hits).reversed().thenComparing(CohortPageRow::lesson));
        final Cohort cohort = views.cohorts.get(cohortId);
        final int program = programOfCohort(cohortId);
        return new CohortOveruse(cohortId, cohort == null ? null : cohort.name(), program, Program.name(program), total, criteria.describe(),
                rows.subList(0, Math.min(limit, rows.size())), apart.subList(0, Math.min(limit, apart.size())));
    }

    private static final Comparator<OveruseRow> BY_SIGNIFICANCE = Comparator.comparingDouble(OveruseRow::log10PValue)
            .thenComparing(Comparator.comparingDouble(OveruseRow::ratio).reversed()).thenComparingInt(OveruseRow::cohortId)
            .thenComparing(OveruseRow::lesson);

    private int programOfCohort(final int cohortId) {
        for (final String text : views.cohortLessons.keySet()) {
            final CohortLessonKey key = CohortLessonKey.parse(text);
            if (key.cohortId() == cohortId) {
                return key.programId();
            }
        }
        return Program.UNKNOWN;
    }

    /**
     * Compares every cohort's lessons (or only {@code onlyCohort}'s) with the other cohorts of its program, into {@code rows},
     * the pages that cannot be compared into {@code apart}, the cohorts alone in their program into {@code alone}; returns the
     * total student hits of {@code onlyCohort} (null when it has none), or of all cohorts.
     */
    private Long compare(final OveruseCriteria criteria, final Integer onlyCohort, final List<OveruseRow> rows, final List<CohortPageRow> apart,
                         final List<String> alone) {
        final Map<Integer, Map<String, Long>> byCohort = new HashMap<>();
        final Map<Integer, Integer> programOf = new HashMap<>();
        final Map<Integer, Long> totals = new HashMap<>();
        for (final Map.Entry<String, Long> entry : views.cohortLessons.entrySet()) {
            final CohortLessonKey key = CohortLessonKey.parse(entry.getKey());
            final int cohort = key.cohortId();
            programOf.put(cohort, key.programId());
            byCohort.computeIfAbsent(cohort, c -> new HashMap<>()).merge(key.lesson(), entry.getValue(), Long::sum);
            totals.merge(cohort, entry.getValue(), Long::sum);
        }
        if (onlyCohort != null && !byCohort.containsKey(onlyCohort)) {
            return null;
        }
        long all = 0;
        for (final Map.Entry<Integer, Map<String, Long>> own : byCohort.entrySet()) {
            final int cohortId = own.getKey();
            if (onlyCohort != null && cohortId != onlyCohort) {
                continue;
            }
            final int program = programOf.get(cohortId);
            final long n = totals.get(cohortId);
            all += n;
            final Cohort cohort = views.cohorts.get(cohortId);
            final String name = cohort == null ? null : cohort.name();
            if (programOf.entrySet().stream().noneMatch(e -> e.getKey() != cohortId && e.getValue() == program)) {
                alone.add(name == null ? "cohort " + cohortId : name);
                continue;
            }
            for (final Map.Entry<String, Long> lesson : own.getValue().entrySet()) {
                final long k = lesson.getValue();
                if (lesson.getKey().startsWith("cohorts/")) {
                    apart.add(new CohortPageRow(cohortId, name, program, Program.name(program), lesson.getKey(), k, "a cohort's own page"));
                    continue;
                }
                final LessonStats life = views.lessons.get(new LessonKey(program, lesson.getKey()).text());
                long othersHits = 0;
                long othersTotal = 0;
                int others = 0;
                for (final Map.Entry<Integer, Map<String, Long>> other : byCohort.entrySet()) {
                    final Cohort o = views.cohorts.get(other.getKey());
                    if (other.getKey() == cohortId || programOf.get(other.getKey()) != program || o == null || life == null
                            || !overlaps(o, life.firstSeen(), life.lastSeen())) {
                        continue;
                    }
                    others++;
                    othersHits += other.getValue().getOrDefault(lesson.getKey(), 0L);
                    othersTotal += totals.get(other.getKey());
                }
                if (others == 0) {
                    apart.add(new CohortPageRow(cohortId, name, program, Program.name(program), lesson.getKey(), k,
                            "no other cohort of the program was active while it was read"));
                } else if (othersHits == 0) {
                    apart.add(new CohortPageRow(cohortId, name, program, Program.name(program), lesson.getKey(), k,
                            "no other cohort of the program read it"));
                } else {
                    final double expected = (double) n * othersHits / othersTotal;
                    final double ratio = k / expected;
                    final double log10p = Poisson.log10UpperTail(k, expected);
                    rows.add(new OveruseRow(cohortId, name, program, Program.name(program), lesson.getKey(), k, n, othersHits, othersTotal,
                            others, expected, ratio, log10p, Math.pow(10, log10p), criteria.overused(k, ratio, log10p)));
                }
            }
        }
        return all;
    }

    /** The id of the cohort called {@code name} (case-insensitive), or of the cohort with that id; null when unknown. */
    public Integer cohortId(final String name) {
        for (final Cohort cohort : views.cohorts.values()) {
            if (cohort.name().trim().equalsIgnoreCase(name.trim())) {
                return cohort.id();
            }
        }
        try {
            final int id = Integer.parseInt(name.trim());
            return views.cohorts.containsKey(id) ? id : null;
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    /** A student's current enrolment (question 3): accesses while a student, active days, first and last access. */
    public record StudentRow(long userId, int cohortId, String cohort, int programId, String program, long accesses, int activeDays,
                             Instant firstAccess, Instant lastAccess, String windowStart, String windowEnd, long accessesInWindow,
                             String judgement) {
    }

    /** Question 3: students judged inactive by the rule (too few accesses in their first class days), fewest accesses first. */
    public List<StudentRow> inactiveStudents(final int limit) {
        return students().stream().filter(s -> s.judgement().equals("inactive")).limit(limit).toList();
    }

    /** Every student (current enrolment), fewest accesses first. */
    public List<StudentRow> students() {
        final List<StudentRow> rows = new ArrayList<>();
        for (final Map.Entry<Long, UserActivity> entry : views.users.entrySet()) {
            final UserActivity u = entry.getValue();
            if (u.studentCohort() == UserActivity.NONE) {
                continue;
            }
            final Cohort cohort = views.cohorts.get(u.studentCohort());
            final boolean window = u.judgement() != UserActivity.Judgement.NO_WINDOW;
            rows.add(new StudentRow(entry.getKey(), u.studentCohort(), cohort == null ? null : cohort.name(), u.studentProgram(),
                    Program.name(u.studentProgram()), u.studentAccesses(), u.activeDays(),
                    u.studentAccesses() == 0 ? null : Instant.ofEpochMilli(u.studentFirst()),
                    u.studentAccesses() == 0 ? null : Instant.ofEpochMilli(u.studentLast()),
                    window ? u.windowStart().toString() : null, window ? u.windowEnd().minusDays(1).toString() : null,
                    u.windowAccesses(), u.judgement().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        rows.sort(Comparator.comparingLong(StudentRow::accesses).thenComparingLong(StudentRow::userId));
        return rows;
    }

    /** An account whose access does not fit its role (question 4): {@code kind} says how, {@code detail} what was seen. */
    public record MismatchRow(long userId, String kind, String detail, List<String> cohorts) {
    }

    /**
     * Question 4, role mismatches: {@code cohort-then-staff} (seen in a student cohort, later as staff) and
     * {@code other-program} (a student or alumnus reading a curriculum section that their program hardly reads: under 5% of
     * the section's student hits).
     */
    public List<MismatchRow> roleMismatches() {
        final Map<String, Map<Integer, Long>> sectionHits = new HashMap<>();
        for (final Map.Entry<String, LessonStats> entry : views.lessons.entrySet()) {
            final LessonKey key = LessonKey.parse(entry.getKey());
            final String lesson = key.lesson();
            final int slash = lesson.indexOf('/');
            sectionHits.computeIfAbsent(slash < 0 ? lesson : lesson.substring(0, slash), s -> new HashMap<>())
                    .merge(key.programId(), entry.getValue().studentHits(), Long::sum);
        }
        final List<MismatchRow> rows = new ArrayList<>();
        for (final Map.Entry<Long, UserActivity> entry : views.users.entrySet()) {
            final UserActivity u = entry.getValue();
            final List<String> cohorts = u.sightings().stream().map(s -> cohortName(s.cohortId()) + " (" + s.role().label() + ")").toList();
            UserActivity.Sighting firstNonStaff = null;
            for (final UserActivity.Sighting s : u.sightings()) {
                if (s.role() != Role.STAFF && s.role() != Role.UNKNOWN && firstNonStaff == null) {
                    firstNonStaff = s;
                } else if (s.role() == Role.STAFF && firstNonStaff != null) {
                    rows.add(new MismatchRow(entry.getKey(), "cohort-then-staff", "seen in " + cohortName(firstNonStaff.cohortId()) + " from "
                            + Instant.ofEpochMilli(firstNonStaff.firstSeen()) + ", as staff from " + Instant.ofEpochMilli(s.firstSeen()), cohorts));
                    break;
                }
            }
            final int program = readerProgram(u);
            if (program <= 0) {
                continue;
            }
            for (final Map.Entry<String, Integer> section : u.sections().entrySet()) {
                final Map<Integer, Long> hits = sectionHits.get(section.getKey());
                if (hits == null || section.getValue() < FOREIGN_MIN_USER_HITS) {
                    continue;
                }
                final long total = hits.values().stream().mapToLong(Long::longValue).sum();
                final long own = hits.getOrDefault(program, 0L);
                if (total >= FOREIGN_MIN_SECTION_HITS && own < FOREIGN_SHARE * total) {
                    final int home = hits.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                    rows.add(new MismatchRow(entry.getKey(), "other-program", section.getValue() + " hits on " + section.getKey() + ", a section of "
                            + Program.name(home) + " (reader's program " + Program.name(program) + ")", cohorts));
                }
            }
        }
        rows.sort(Comparator.comparingLong(MismatchRow::userId).thenComparing(MismatchRow::kind).thenComparing(MismatchRow::detail));
        return rows;
    }

    /** The program of a student or alumnus (its latest non-staff cohort's), or 0. */
    private static int readerProgram(final UserActivity u) {
        int program = 0;
        for (final UserActivity.Sighting s : u.sightings()) {
            if (s.role() == Role.STUDENT || s.role() == Role.ALUMNUS || s.role() == Role.BEFORE_START) {
                program = s.programId();
            } else if (s.role() == Role.STAFF) {
                return 0;
            }
        }
        return program;
    }

    private String cohortName(final int id) {
        final Cohort cohort = views.cohorts.get(id);
        return cohort == null ? "cohort " + id : cohort.name();
    }

    /** The newest access in the views (the lesson stats' newest), epoch ms; 0 when empty. */
    public long newest() {
        return newest;
    }
}
