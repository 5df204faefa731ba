package io.curriculum.detector.views;

import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.model.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analysts' six questions answered from merged {@link Views}; pure, no Kafka. Hits count lesson pages only (assets,
 * indexes and the home page are not lessons, see {@code Lessons.normalize}); a lesson's program is its reader's.
 */
public final class Answers {

    /** A section is another program's when the reader's program makes less than this share of its student hits. */
    static final double FOREIGN_SHARE = 0.05;
    /** ... and the section has at least this many student hits (else nothing can be said) ... */
    static final long FOREIGN_MIN_SECTION_HITS = 50;
    /** ... and the reader read it at least this often. */
    static final int FOREIGN_MIN_USER_HITS = 3;

    private final Views views;
    private final long newest;

    public Answers(final Views views) {
        this.views = views;
        this.newest = views.lessons.values().stream().mapToLong(LessonStats::lastSeen).max().orElse(0);
    }

    /** One lesson of a program: hits by role, the distinct cohorts whose students read it (of all that read the program). */
    public record LessonRow(int programId, String program, String lesson, long hits, long studentHits, long alumniHits, long staffHits,
                            int cohorts, int programCohorts, Instant firstSeen, Instant lastSeen) {
    }

    /** Question 1: the most-read lessons of a program, most hits first (ties by lesson). */
    public List<LessonRow> topLessons(final int programId, final int limit) {
        return lessons(programId).stream()
                .sorted(Comparator.comparingLong(LessonRow::hits).reversed().thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    /**
     * Question 5: the least-read lessons of a program, fewest hits first, leaving out lessons first read less than
     * {@code newLessonAge} before the newest access (too new to judge).
     */
    public List<LessonRow> leastLessons(final int programId, final int limit, final Duration newLessonAge) {
        final long cutoff = newest - newLessonAge.toMillis();
        return lessons(programId).stream()
                .filter(row -> row.firstSeen().toEpochMilli() <= cutoff)
                .sorted(Comparator.comparingLong(LessonRow::hits).thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    /** Question 6: what a program's alumni keep reading after graduation, most alumni hits first. */
    public List<LessonRow> alumniTopics(final int programId, final int limit) {
        return lessons(programId).stream().filter(row -> row.alumniHits() > 0)
                .sorted(Comparator.comparingLong(LessonRow::alumniHits).reversed().thenComparing(LessonRow::lesson))
                .limit(limit).toList();
    }

    private List<LessonRow> lessons(final int programId) {
        final String prefix = programId + "|";
        final Set<Integer> programCohorts = new HashSet<>();
        final List<Map.Entry<String, LessonStats>> own = new ArrayList<>();
        for (final Map.Entry<String, LessonStats> entry : views.lessons.entrySet()) {
            if (entry.getKey().startsWith(prefix)) {
                own.add(entry);
                for (final int cohort : entry.getValue().studentCohorts()) {
                    programCohorts.add(cohort);
                }
            }
        }
        final List<LessonRow> rows = new ArrayList<>(own.size());
        for (final Map.Entry<String, LessonStats> entry : own) {
            final LessonStats s = entry.getValue();
            rows.add(new LessonRow(programId, Program.name(programId), entry.getKey().substring(prefix.length()), s.hits(), s.studentHits(),
                    s.alumniHits(), s.staffHits(), s.studentCohorts().length, programCohorts.size(),
                    Instant.ofEpochMilli(s.firstSeen()), Instant.ofEpochMilli(s.lastSeen())));
        }
        return rows;
    }

    /** The programs that have lessons, ascending. */
    public List<Integer> programs() {
        final Set<Integer> programs = new TreeSet<>();
        for (final String key : views.lessons.keySet()) {
            programs.add(Integer.parseInt(key.substring(0, key.indexOf('|'))));
        }
        return List.copyOf(programs);
    }

    /**
     * One lesson of a cohort compared with the other cohorts of its program: the cohort's share of its own students' hits
     * that went to the lesson, the other cohorts' mean share and its standard deviation; {@code ratio} share / mean,
     * {@code z} (share − mean) / σ. {@code overused} when the ratio and z reach their thresholds with enough hits.
     */
    public record OveruseRow(String lesson, long hits, double share, double othersMeanShare, double othersStddev, double ratio, double z,
                             int otherCohorts, boolean overused) {
    }

    /** A cohort and its lessons by how much more it reads them than the other cohorts of its program (question 2). */
    public record CohortOveruse(int cohortId, String cohort, int programId, String program, long studentHits, List<OveruseRow> lessons) {
    }

    /**
     * Question 2 for one cohort: its lessons most over-read relative to the other cohorts of its program (those with
     * at least {@code minHits} hits of their own), the flagged ones first, at most {@code limit}. Null when the cohort has no
     * student hits.
     */
    public CohortOveruse overused(final int cohortId, final double minRatio, final double minZ, final long minHits, final int limit) {
        final Map<Integer, Map<String, Long>> byCohort = new HashMap<>();
        final Map<Integer, Integer> programOf = new HashMap<>();
        for (final Map.Entry<String, Long> entry : views.cohortLessons.entrySet()) {
            final String[] parts = entry.getKey().split("\\|", 3);
            final int cohort = Integer.parseInt(parts[1]);
            programOf.put(cohort, Integer.parseInt(parts[0]));
            byCohort.computeIfAbsent(cohort, c -> new HashMap<>()).merge(parts[2], entry.getValue(), Long::sum);
        }
        final Map<String, Long> own = byCohort.get(cohortId);
        if (own == null) {
            return null;
        }
        final int program = programOf.get(cohortId);
        final long ownTotal = own.values().stream().mapToLong(Long::longValue).sum();
        final List<Map<String, Long>> others = new ArrayList<>();
        final List<Long> otherTotals = new ArrayList<>();
        for (final Map.Entry<Integer, Map<String, Long>> cohort : byCohort.entrySet()) {
            final long total = cohort.getValue().values().stream().mapToLong(Long::longValue).sum();
            if (cohort.getKey() != cohortId && programOf.get(cohort.getKey()) == program && total >= minHits) {
                others.add(cohort.getValue());
                otherTotals.add(total);
            }
        }
        final List<OveruseRow> rows = new ArrayList<>();
        for (final Map.Entry<String, Long> lesson : own.entrySet()) {
            final double share = (double) lesson.getValue() / ownTotal;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < others.size(); i++) {
                final double s = (double) others.get(i).getOrDefault(lesson.getKey(), 0L) / otherTotals.get(i);
                sum += s;
                squares += s * s;
            }
            final int n = others.size();
            final double mean = n == 0 ? 0 : sum / n;
            final double stddev = n == 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean));
            // a floor under σ: with few cohorts all alike, σ alone would make any difference "significant"
            final double floor = Math.max(stddev, Math.max(mean * 0.25, 1.0 / Math.max(ownTotal, 1)));
            final double ratio = mean == 0 ? Double.POSITIVE_INFINITY : share / mean;
            final double z = (share - mean) / floor;
            final boolean overused = n > 0 && lesson.getValue() >= minHits && ratio >= minRatio && z >= minZ;
            rows.add(new OveruseRow(lesson.getKey(), lesson.getValue(), share, mean, stddev, ratio == Double.POSITIVE_INFINITY ? -1 : ratio, z,
                    n, overused));
        }
        rows.sort(Comparator.comparing(OveruseRow::overused).reversed().thenComparing(Comparator.comparingDouble(OveruseRow::z).reversed())
                .thenComparing(OveruseRow::lesson));
        final Cohort cohort = views.cohorts.get(cohortId);
        return new CohortOveruse(cohortId, cohort == null ? null : cohort.name(), program, Program.name(program), ownTotal,
                rows.subList(0, Math.min(limit, rows.size())));
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
            final String key = entry.getKey();
            final int bar = key.indexOf('|');
            final String lesson = key.substring(bar + 1);
            final int slash = lesson.indexOf('/');
            sectionHits.computeIfAbsent(slash < 0 ? lesson : lesson.substring(0, slash), s -> new HashMap<>())
                    .merge(Integer.parseInt(key.substring(0, bar)), entry.getValue().studentHits(), Long::sum);
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
