package io.curriculum.detector.views;

import io.curriculum.detector.model.LessonKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * What each read path is, judged from who read it (all programs together). A <b>section</b> is known when a page under it
 * ({@code section/...}) was read by {@value #SEVERAL} distinct users. A path is
 * <ul>
 *   <li>a {@link Kind#COHORT_PAGE} under {@code cohorts/} (a cohort's own pages: schedules, capstones);</li>
 *   <li>a {@link Kind#LANDING} page: one segment that is a known section ({@code javascript-i}, a module's index);</li>
 *   <li>a {@link Kind#LESSON}: read by {@value #SEVERAL} distinct users, or by two in a known section, and no mistyping of a
 *   page of its section read by {@value #SEVERAL} users: within typing distance of it ({@link #nearestLesson}) when fewer
 *   than {@value #SEVERAL} read it, one edit from a page with {@value #TYPO_RATIO} times its hits otherwise;</li>
 *   <li>else {@link Kind#BROKEN}: a mistyped or one-off link ({@code 1-fundamentalss/intro}, {@code %20}, {@code .env}).</li>
 * </ul>
 */
public final class PathKinds {

    /** Distinct readers that make a page part of the curriculum (the lesson view keeps this many). */
    public static final int SEVERAL = LessonStats.MAX_READERS;
    /** A path near a page with this many times its hits is a mistyping of it, however many read it. */
    public static final int TYPO_RATIO = 20;

    public enum Kind { LESSON, LANDING, COHORT_PAGE, BROKEN }

    /** One path over every program: hits, first and last read, the first distinct readers (at most {@value #SEVERAL}). */
    record Path(long hits, long firstSeen, long lastSeen, long[] readers) {
        static Path of(final LessonStats s) {
            return new Path(s.hits(), s.firstSeen(), s.lastSeen(), s.readers());
        }

        Path plus(final Path o) {
            return new Path(hits + o.hits, Math.min(firstSeen, o.firstSeen), Math.max(lastSeen, o.lastSeen),
                    LongStream.concat(Arrays.stream(readers), Arrays.stream(o.readers)).distinct().limit(SEVERAL).toArray());
        }
    }

    private final Map<String, Path> paths = new HashMap<>();
    private final Set<String> knownSections = new HashSet<>();
    private final Map<String, Kind> kinds = new HashMap<>();
    /** Pages under a section read by {@value #SEVERAL} users: what a mistyped path is measured against. */
    private final List<String> established;
    private final Map<String, List<String>> bySection = new HashMap<>();

    PathKinds(final Map<String, LessonStats> lessons) {
        for (final Map.Entry<String, LessonStats> entry : lessons.entrySet()) {
            final String lesson = LessonKey.parse(entry.getKey()).lesson();
            paths.merge(lesson, Path.of(entry.getValue()), Path::plus);
        }
        established = paths.entrySet().stream()
                .filter(e -> e.getKey().indexOf('/') > 0 && !e.getKey().startsWith("cohorts/") && e.getValue().readers.length >= SEVERAL)
                .map(Map.Entry::getKey).sorted().toList();
        for (final String path : established) {
            final String section = path.substring(0, path.indexOf('/'));
            knownSections.add(section);
            bySection.computeIfAbsent(section, k -> new ArrayList<>()).add(path);
        }
        paths.forEach((path, p) -> kinds.put(path, judge(path, p)));
    }

    private Kind judge(final String path, final Path p) {
        if (path.startsWith("cohorts/")) {
            return Kind.COHORT_PAGE;
        }
        final int slash = path.indexOf('/');
        if (slash < 0 && knownSections.contains(path)) {
            return Kind.LANDING;
        }
        final int readers = p.readers.length;
        final boolean known = slash > 0 && knownSections.contains(path.substring(0, slash));
        if (readers < 2 || readers < SEVERAL && !known || mistyped(path, p)) {
            return Kind.BROKEN;
        }
        return Kind.LESSON;
    }

    /**
     * Whether a path is a mistyping of an established page (in the same section, or any when its own section is unknown):
     * within typing distance of it when fewer than {@value #SEVERAL} users read it; one edit from it, numbering and {@code %20}
     * aside, when that page has {@value #TYPO_RATIO} times its hits (a typo repeated by several people stays in the page's
     * shadow; two real lessons two edits apart, like {@code fonts} and {@code forms}, stay lessons).
     */
    private boolean mistyped(final String path, final Path p) {
        final int slash = path.indexOf('/');
        final List<String> candidates = slash > 0 && knownSections.contains(path.substring(0, slash))
                ? bySection.get(path.substring(0, slash)) : established;
        final String target = comparable(path);
        final int bound = Math.max(2, target.length() / 4) + 1;
        for (final String page : candidates) {
            if (page.equals(path)) {
                continue;
            }
            final String candidate = comparable(page);
            if (Math.abs(candidate.length() - target.length()) >= bound) {
                continue;
            }
            final int d = distance(target, candidate, bound);
            if (p.readers.length < SEVERAL ? d < bound : d <= 1 && paths.get(page).hits >= TYPO_RATIO * p.hits) {
                return true;
            }
        }
        return false;
    }

    /** The kind of a read path; {@link Kind#BROKEN} for a path never read. */
    public Kind kind(final String path) {
        return kinds.getOrDefault(path, Kind.BROKEN);
    }

    /** Every read path of a kind. */
    List<String> all(final Kind kind) {
        return kinds.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).sorted().toList();
    }

    Path path(final String path) {
        return paths.get(path);
    }

    /**
     * The lesson a broken path most likely meant: the nearest lesson by edit distance after dropping what typing and copying
     * add (numbering prefixes like {@code 1-}, {@code %20}, doubled letters count as edits), when it is within a quarter of
     * the path's length (at least 2); null when no lesson is that near.
     */
    public String nearestLesson(final String broken) {
        return nearest(broken, all(Kind.LESSON));
    }

    private static String nearest(final String broken, final List<String> lessons) {
        final String target = comparable(broken);
        final int limit = Math.max(2, target.length() / 4);
        String best = null;
        int bestDistance = limit + 1;
        for (final String lesson : lessons) {
            if (lesson.equals(broken)) {
                continue;
            }
            final String candidate = comparable(lesson);
            if (Math.abs(candidate.length() - target.length()) >= bestDistance) {
                continue;
            }
            final int d = distance(target, candidate, bestDistance);
            if (d < bestDistance) {
                bestDistance = d;
                best = lesson;
            }
        }
        return best;
    }

    /** A path as typed, without numbering prefixes of its segments and encoded blanks. */
    private static String comparable(final String path) {
        return path.toLowerCase(Locale.ROOT).replace("%20", "").replaceAll("(^|/)\\d+-", "$1").strip();
    }

    /** Levenshtein distance, or {@code bound} when it is at least that. */
    private static int distance(final String a, final String b, final int bound) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= bound) {
                return bound;
            }
            final int[] t = previous;
            previous = current;
            current = t;
        }
        return Math.min(bound, previous[b.length()]);
    }
}
