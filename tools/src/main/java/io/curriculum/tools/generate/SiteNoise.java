package io.curriculum.tools.generate;

import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The pages of the real site that are no lessons, added to a day's normal traffic: a module's landing page opened before
 * one of its lessons ({@code javascript-i}, {@code javascript-i/}), a cohort's own pages read by its students while enrolled
 * ({@code cohorts/<cohort>/capstones}), and mistyped or probing links read once ({@code 1-fundamentalss/git},
 * {@code java-ii/arrays%20}, {@code .env}). The analysts' answers must tell them from lessons. About {@link #SHARE} of the
 * normal rows; drawn from a random of their own, so the rest of the day is the same with or without them.
 */
final class SiteNoise {

    /** The rows this adds, as a share of the day's normal rows (the generator leaves that much of its quota to them, and fills what they leave). */
    static final double SHARE = 0.016;
    private static final double LANDING = 0.02;
    private static final double COHORT_PAGE = 0.004;
    private static final double MISTYPED = 0.0004;
    private static final String[] COHORT_PAGES = {"capstones", "schedule", "project-showcase", "resources"};
    private static final String[] PROBES = {".env", "wp-login.php", "%20", "admin", "config.php"};

    private final Curriculum curriculum;

    SiteNoise(final Curriculum curriculum) {
        this.curriculum = curriculum;
    }

    /** Adds noise around the day's lesson rows so far, at most {@code budget} rows; returns how many rows it added. */
    int addTo(final LocalDate date, final DayRows rows, final long budget, final SplittableRandom random) {
        final int end = rows.size();
        int added = 0;
        for (int i = 0; i < end && added < budget; i++) {
            final int lesson = rows.lesson(i);
            if (lesson < 0) {
                continue;
            }
            final User user = rows.user(i);
            final int second = rows.second(i);
            final double u = random.nextDouble();
            String path = null;
            if (u < LANDING) {
                path = curriculum.module(lesson) + (random.nextBoolean() ? "/" : "");
            } else if (u < LANDING + COHORT_PAGE && user.isStudentOn(date)) {
                path = "cohorts/" + slug(user.cohort().name()) + "/" + COHORT_PAGES[random.nextInt(COHORT_PAGES.length)];
            } else if (u < LANDING + COHORT_PAGE + MISTYPED) {
                path = mistyped(curriculum.lesson(lesson), random);
            }
            if (path != null && rows.add(Math.max(0, second - 1), path, user, rows.ip(i), -1)) {
                added++;
            }
        }
        return added;
    }

    /** A lesson's path as a person mistypes or a script probes it. */
    static String mistyped(final String lesson, final SplittableRandom random) {
        final int slash = lesson.indexOf('/');
        final String section = lesson.substring(0, slash);
        final String topic = lesson.substring(slash + 1);
        return switch (random.nextInt(5)) {
            case 0 -> (section.endsWith("i") ? section.charAt(0) + section : section + "s") + "/" + topic;
            case 1 -> (1 + random.nextInt(12)) + "-" + section + "/" + (1 + random.nextInt(9)) + "-" + topic;
            case 2 -> lesson + "%20";
            case 3 -> {
                final int at = random.nextInt(topic.length());
                yield section + "/" + topic.substring(0, at) + topic.substring(at + 1);
            }
            default -> PROBES[random.nextInt(PROBES.length)];
        };
    }

    private static String slug(final String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
