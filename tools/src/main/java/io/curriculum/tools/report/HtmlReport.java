package io.curriculum.tools.report;

import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.LessonKey;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.views.Answers;
import io.curriculum.detector.views.OveruseCriteria;
import io.curriculum.detector.views.PathKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Stream;

/**
 * A self-contained HTML report of a replay that answers the analysts' six questions: inline CSS and SVG, no script, no
 * network. Lesson rankings per program (a bar chart and tables), each cohort's over-read lessons, inactive students, role
 * mismatches and a timeline of machine-speed episodes, a band chart for each lesson with breaches (the most breached
 * {@value #MAX_BAND_CHARTS}), least-read lessons and what alumni read.
 */
public final class HtmlReport {

    private static final int TOP = 10;
    /** Band charts drawn at most: the series with the most breaches; the table lists every breach. */
    public static final int MAX_BAND_CHARTS = 12;
    /** Band charts of at most this many days have a point to hover for each day; longer ones only their breaches. */
    static final int HOVER_POINTS = 120;

    private final StringBuilder html = new StringBuilder(64 * 1024);

    private HtmlReport() {
    }

    /**
     * Writes the report to {@code file}.
     *
     * @param title        what was replayed (file name, replay id)
     * @param answers      the merged views
     * @param alerts       every alert of the replay, its latest record (the replay's alerts file)
     * @param bandCounts   the windows of the series to chart ({@link BandCounts} of {@link #bandSeriesToChart})
     */
    public static void write(final Path file, final String title, final Answers answers, final List<AlertRecord> alerts,
                             final Duration newLessonAge, final Map<LessonKey, List<BandCounts.Point>> bandCounts) throws IOException {
        final HtmlReport report = new HtmlReport();
        report.render(title, answers, alerts, newLessonAge, bandCounts);
        Files.writeString(file, report.html, StandardCharsets.UTF_8);
    }

    /**
     * The band series ({@code <programId>|<lesson>}) the report charts: those with band alerts, the one whose breach lies
     * farthest outside its band first ({@link #deviations}), then the one with more breaches, then by program and lesson; at
     * most {@value #MAX_BAND_CHARTS}.
     */
    public static Set<LessonKey> bandSeriesToChart(final List<AlertRecord> alerts) {
        final Set<LessonKey> keys = new LinkedHashSet<>();
        breachesBySeries(alerts).keySet().stream().limit(MAX_BAND_CHARTS).forEach(keys::add);
        return keys;
    }

    /** Band alerts by series, in the order {@link #bandSeriesToChart} charts them. */
    private static Map<LessonKey, List<BandAlert>> breachesBySeries(final List<AlertRecord> alerts) {
        final Map<LessonKey, List<BandAlert>> bySeries = new LinkedHashMap<>();
        bandAlerts(alerts)
                .sorted(Comparator.comparingInt(BandAlert::programId).thenComparing(BandAlert::lesson).thenComparing(BandAlert::windowStart))
                .forEach(a -> bySeries.computeIfAbsent(new LessonKey(a.programId(), a.lesson()), k -> new ArrayList<>()).add(a));
        final Map<LessonKey, List<BandAlert>> ordered = new LinkedHashMap<>();
        bySeries.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<LessonKey, List<BandAlert>> e) -> -e.getValue().stream().mapToDouble(HtmlReport::deviations).max().orElse(0))
                        .thenComparingInt(e -> -e.getValue().size()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** How far a breach lies from its expected value: its score, in the model's spreads (the half-width is k of them). */
    private static double deviations(final BandAlert breach) {
        return Math.abs(breach.score());
    }

    private static Stream<BandAlert> bandAlerts(final List<AlertRecord> alerts) {
        return alerts.stream().filter(BandAlert.class::isInstance).map(BandAlert.class::cast);
    }

    private void render(final String title, final Answers answers, final List<AlertRecord> alerts, final Duration newLessonAge,
                        final Map<LessonKey, List<BandCounts.Point>> bandCounts) {
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Curriculum access report</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1040px;padding:0 1em;color:#222}")
                .append("h1{font-size:1.6em}h2{border-bottom:2px solid #ccd;margin-top:2em}h3{margin-bottom:.3em}")
                .append("p.answer{font-size:1.08em;background:#f4f6fb;border-left:4px solid #4a6fd1;padding:.4em .8em}")
                .append("table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}")
                .append("th{background:#f0f2f8}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#777}")
                .append(".flag{color:#b00;font-weight:600}svg{display:block;margin:.5em 0;max-width:100%;height:auto}figure{margin:1em 0}")
                .append("figcaption{font-size:.95em}svg text{font-size:12px}svg .s{font-size:11px}")
                .append(".b1{fill:#4a6fd1}.b2{fill:#d1744a}.b6{fill:#2a9d6f}.band{fill:#cfd9f3}.mean{fill:none;stroke:#6f86c4;stroke-dasharray:2 2}")
                .append(".count{fill:none;stroke:#222;stroke-width:1.2}.grid{stroke:#e4e4ea}.tick{stroke:#bbb}.pt{fill:#222}")
                .append(".spike{fill:#d14a4a}.drop{fill:#2f6fd1}")
                .append("</style></head><body>");
        html.append("<h1>Curriculum access report</h1><p class=\"muted\">").append(esc(title)).append("; newest access ")
                .append(answers.newest() == 0 ? "none" : Instant.ofEpochMilli(answers.newest()).toString()).append("</p>");
        topLessons(answers);
        overuse(answers);
        inactive(answers);
        suspicious(answers, alerts, bandCounts);
        leastLessons(answers, newLessonAge);
        alumni(answers);
        html.append("</body></html>\n");
    }

    private List<Integer> programs(final Answers answers) {
        return answers.programs().stream().filter(p -> p != Program.UNKNOWN).toList();
    }

    private void topLessons(final Answers answers) {
        html.append("<h2>1. Which lessons attract the most traffic, per program?</h2><p class=answer>");
        final List<String> firsts = new ArrayList<>();
        for (final int program : programs(answers)) {
            answers.topLessons(program, 1).forEach(r -> firsts.add(esc(r.program()) + ": <b>" + esc(r.lesson()) + "</b> ("
                    + count(r.hits()) + " hits, read by " + r.cohorts() + " of " + r.programCohorts() + " cohorts)"));
        }
        html.append(firsts.isEmpty() ? "No lesson was read." : "Most read: " + String.join("; ", firsts) + ".").append("</p>")
                .append("<p class=muted>Lessons only: module landing pages (a module's index, like <code>javascript-i</code>), ")
                .append("cohorts' own pages and broken links are counted apart.</p>");
        for (final int program : programs(answers)) {
            final List<Answers.LessonRow> top = answers.topLessons(program, TOP);
            html.append("<h3>").append(esc(Program.name(program))).append("</h3>");
            bars(top.stream().map(Answers.LessonRow::lesson).toList(), top.stream().map(Answers.LessonRow::hits).toList(), "b1");
            lessonTable(top, true);
            final List<Answers.LessonRow> landing = answers.landingPages(program, 5);
            if (!landing.isEmpty()) {
                html.append("<p>Landing pages: ").append(String.join(", ", landing.stream()
                        .map(r -> "<code>" + esc(r.lesson()) + "</code> " + count(r.hits())).toList())).append(".</p>");
            }
        }
    }

    private void overuse(final Answers answers) {
        final Answers.Overuse overuse = answers.overuse(OveruseCriteria.DEFAULT, TOP);
        html.append("<h2>2. Which cohort reads a lesson much more than the other cohorts of its program?</h2><p class=answer>");
        if (overuse.overused().isEmpty()) {
            html.append("No cohort reads a lesson significantly more than the other cohorts of its program.</p>");
        } else {
            final Answers.OveruseRow first = overuse.overused().get(0);
            html.append("<b>").append(esc(first.cohort())).append("</b> (").append(esc(first.program())).append(") reads <b>")
                    .append(esc(first.lesson())).append("</b> ").append(String.format(Locale.ROOT, "%.1f", first.ratio()))
                    .append("× as much as the program's other cohorts: ").append(count(first.hits())).append(" hits where ")
                    .append(String.format(Locale.ROOT, "%.1f", first.expected())).append(" were expected (p ").append(esc(pValue(first.log10PValue())))
                    .append(")").append(overuse.overusedTotal() > 1 ? "; " + (overuse.overusedTotal() - 1) + " more below" : "").append(".</p>");
        }
        html.append("<p class=muted>Each cohort's students' hits on a lesson against the rate of the program's other cohorts that were ")
                .append("active while the lesson was read (expected = the cohort's hits × the others' share); over-used: ")
                .append(esc(overuse.criteria())).append("; ranked by p (Poisson upper tail).</p>");
        if (!overuse.overused().isEmpty()) {
            bars(overuse.overused().stream().map(r -> r.cohort() + " · " + r.lesson()).toList(),
                    overuse.overused().stream().map(r -> Math.round(r.ratio())).toList(), "b2", "×");
            html.append("<table><tr><th>cohort</th><th>program</th><th>lesson</th><th>hits</th><th>expected</th><th>ratio</th><th>p</th>")
                    .append("<th>cohort's hits</th><th>other cohorts: hits on it / all</th></tr>");
            for (final Answers.OveruseRow r : overuse.overused()) {
                html.append("<tr><td>").append(esc(r.cohort())).append("</td><td>").append(esc(r.program())).append("</td><td>")
                        .append(esc(r.lesson())).append("</td><td class=n>").append(r.hits()).append("</td><td class=n>")
                        .append(String.format(Locale.ROOT, "%.1f", r.expected())).append("</td><td class=n>")
                        .append(String.format(Locale.ROOT, "%.1f×", r.ratio())).append("</td><td class=n>").append(esc(pValue(r.log10PValue())))
                        .append("</td><td class=n>").append(count(r.cohortHits())).append("</td><td class=n>").append(r.otherCohorts())
                        .append(r.otherCohorts() == 1 ? " cohort: " : " cohorts: ").append(count(r.othersHits())).append(" / ")
                        .append(count(r.othersCohortHits())).append("</td></tr>");
            }
            html.append("</table>");
        }
        if (!overuse.cohortsNotCompared().isEmpty()) {
            html.append("<p>Not compared, the only cohort of their program with student hits: ")
                    .append(esc(String.join(", ", overuse.cohortsNotCompared()))).append(".</p>");
        }
        if (overuse.cohortPagesTotal() > 0) {
            html.append("<h3>Cohorts' own pages, not compared (").append(overuse.cohortPagesTotal()).append(")</h3>")
                    .append("<p class=muted>Pages under <code>cohorts/</code>, and pages no other cohort of the program read or could have read ")
                    .append("while it was active; the most read:</p><table><tr><th>cohort</th><th>page</th><th>hits</th><th>why apart</th></tr>");
            for (final Answers.CohortPageRow r : overuse.cohortPages()) {
                html.append("<tr><td>").append(esc(r.cohort())).append("</td><td>").append(esc(r.lesson())).append("</td><td class=n>")
                        .append(r.hits()).append("</td><td>").append(esc(r.reason())).append("</td></tr>");
            }
            html.append("</table>");
        }
    }

    private void inactive(final Answers answers) {
        html.append("<h2>3. Which students, while enrolled, hardly access the curriculum?</h2>");
        final List<Answers.StudentRow> inactive = answers.inactiveStudents(1000);
        html.append("<p class=answer>").append(inactive.size()).append(inactive.size() == 1 ? " student" : " students")
                .append(" judged inactive (too few accesses in their first class days)")
                .append(inactive.isEmpty() ? "" : ": users " + String.join(", ", inactive.stream().limit(8).map(s -> String.valueOf(s.userId())).toList())
                        + (inactive.size() > 8 ? ", …" : "")).append(".</p>");
        if (inactive.isEmpty()) {
            return;
        }
        html.append("<table><tr><th>user</th><th>cohort</th><th>program</th><th>accesses enrolled</th><th>active days</th>")
                .append("<th>first access</th><th>last access</th><th>judged window</th><th>accesses in it</th></tr>");
        for (final Answers.StudentRow s : inactive) {
            html.append("<tr><td>").append(s.userId()).append("</td><td>").append(esc(s.cohort())).append("</td><td>").append(esc(s.program()))
                    .append("</td><td class=n>").append(s.accesses()).append("</td><td class=n>").append(s.activeDays()).append("</td><td>")
                    .append(s.firstAccess()).append("</td><td>").append(s.lastAccess()).append("</td><td>").append(s.windowStart()).append(" – ")
                    .append(s.windowEnd()).append("</td><td class=n>").append(s.accessesInWindow()).append("</td></tr>");
        }
        html.append("</table>");
    }

    private void suspicious(final Answers answers, final List<AlertRecord> alerts, final Map<LessonKey, List<BandCounts.Point>> bandCounts) {
        final List<MachineSpeedAlert> machine = alerts.stream().filter(MachineSpeedAlert.class::isInstance).map(MachineSpeedAlert.class::cast).toList();
        final List<Answers.MismatchRow> mismatches = answers.roleMismatches();
        final long breaches = bandAlerts(alerts).count();
        final long addresses = machine.stream().map(MachineSpeedAlert::ip).distinct().count();
        html.append("<h2>4. Suspicious activity</h2><p class=answer>").append(machine.size()).append(" machine-speed episodes from ")
                .append(addresses).append(addresses == 1 ? " address; " : " addresses; ").append(mismatches.size())
                .append(mismatches.size() == 1 ? " account" : " accounts").append(" whose access does not fit the role; ").append(breaches)
                .append(" lesson-band breaches.</p><h3>Machine-speed episodes</h3>");
        timeline(machine);
        if (!machine.isEmpty()) {
            html.append("<table><tr><th>detected</th><th>rule</th><th>scope</th><th>ip</th><th>users</th><th>distinct lessons</th><th>requests</th></tr>");
            for (final MachineSpeedAlert a : machine) {
                html.append("<tr><td>").append(esc(String.valueOf(a.detectedAt()))).append("</td><td>").append(esc(a.rule()))
                        .append("</td><td>").append(esc(a.scope())).append("</td><td>").append(esc(String.valueOf(a.ip())))
                        .append("</td><td>").append(esc(userIds(a))).append("</td><td class=n>").append(a.distinctPages())
                        .append("</td><td class=n>").append(a.requests()).append("</td></tr>");
            }
            html.append("</table>");
        }
        html.append("<h3>Accounts whose access does not fit their role</h3>");
        if (mismatches.isEmpty()) {
            html.append("<p>None.</p>");
        } else {
            html.append("<table><tr><th>user</th><th>kind</th><th>what was seen</th><th>cohorts (role at first sight)</th></tr>");
            for (final Answers.MismatchRow m : mismatches) {
                html.append("<tr><td>").append(m.userId()).append("</td><td class=flag>").append(esc(m.kind())).append("</td><td>")
                        .append(esc(m.detail())).append("</td><td>").append(esc(String.join(", ", m.cohorts()))).append("</td></tr>");
            }
            html.append("</table>");
        }
        html.append("<h3>Lesson-band breaches</h3>");
        bandCharts(alerts, bandCounts);
        html.append("<table><tr><th>rule</th><th>program</th><th>lesson</th><th>day</th><th>days</th><th>count</th><th>expected</th>"
                + "<th>band</th><th>program's hits</th><th>score</th></tr>");
        bandAlerts(alerts)
                .sorted(Comparator.comparingDouble((BandAlert a) -> -deviations(a)).thenComparing(BandAlert::alertId))
                .forEach(a -> html.append("<tr><td class=flag>").append(esc(a.rule())).append("</td><td>")
                        .append(esc(a.program())).append("</td><td>").append(esc(a.lesson())).append("</td><td>")
                        .append(esc(String.valueOf(sinceOf(a)))).append("</td><td class=n>")
                        .append(Math.max(1, a.episodeWindows())).append("</td><td class=n>").append(a.count())
                        .append("</td><td class=n>").append(String.format(Locale.ROOT, "%.1f", a.expected()))
                        .append("</td><td>").append(String.format(Locale.ROOT, "%.1f – %.1f", a.lower(), a.upper()))
                        .append("</td><td class=n>").append(a.programCount() != null ? String.valueOf(a.programCount()) : "")
                        .append("</td><td class=n>").append(String.format(Locale.ROOT, "%.1f", a.score())).append("</td></tr>"));
        html.append("</table>");
    }

    private void leastLessons(final Answers answers, final Duration newLessonAge) {
        html.append("<h2>5. Which lessons are least accessed?</h2><p class=answer>");
        final List<String> firsts = new ArrayList<>();
        for (final int program : programs(answers)) {
            answers.leastLessons(program, 1, newLessonAge).forEach(r -> firsts.add(esc(r.program()) + ": <b>" + esc(r.lesson()) + "</b> ("
                    + count(r.hits()) + (r.hits() == 1 ? " hit" : " hits") + ")"));
        }
        final Answers.BrokenLinks broken = answers.brokenLinks(TOP * 2);
        html.append(firsts.isEmpty() ? "No lesson is old enough to judge." : "Least read: " + String.join("; ", firsts) + ".")
                .append(broken.total() == 0 ? "" : " Apart from them, " + broken.total() + " broken or mistyped links (" + count(broken.hits()) + " hits).")
                .append("</p><p class=muted>Over the lessons that were available: of a module the program teaches, read while a cohort of ")
                .append("the program was active, first read at least ").append(esc(age(newLessonAge))).append(" before the newest access. ")
                .append("A path is a lesson when ").append(PathKinds.SEVERAL).append(" distinct users read it (two in a known module) and it ")
                .append("is no mistyping of a page read more.</p>");
        for (final int program : programs(answers)) {
            html.append("<h3>").append(esc(Program.name(program))).append("</h3>");
            lessonTable(answers.leastLessons(program, TOP, newLessonAge), false);
        }
        if (broken.total() > 0) {
            html.append("<h3>Broken or mistyped links (").append(broken.total()).append(")</h3><table><tr><th>path</th><th>hits</th>")
                    .append("<th>readers</th><th>nearest lesson</th><th>first read</th></tr>");
            for (final Answers.BrokenLink b : broken.links()) {
                html.append("<tr><td>").append(esc(b.path())).append("</td><td class=n>").append(b.hits()).append("</td><td class=n>")
                        .append(b.readers()).append("</td><td>").append(b.nearestLesson() == null ? "–" : esc(b.nearestLesson()))
                        .append("</td><td>").append(b.firstSeen()).append("</td></tr>");
            }
            html.append("</table>");
        }
    }

    private void alumni(final Answers answers) {
        html.append("<h2>6. What do alumni keep reading, per program?</h2><p class=answer>");
        final List<String> firsts = new ArrayList<>();
        for (final int program : programs(answers)) {
            answers.alumniTopics(program, 1).forEach(r -> firsts.add(esc(r.program()) + ": <b>" + esc(r.lesson()) + "</b> ("
                    + count(r.alumniHits()) + " alumni hits)"));
        }
        html.append(firsts.isEmpty() ? "Alumni read nothing." : "Most read by alumni: " + String.join("; ", firsts) + ".").append("</p>");
        for (final int program : programs(answers)) {
            final List<Answers.LessonRow> alumni = answers.alumniTopics(program, TOP);
            if (!alumni.isEmpty()) {
                html.append("<h3>").append(esc(Program.name(program))).append("</h3>");
                bars(alumni.stream().map(Answers.LessonRow::lesson).toList(), alumni.stream().map(Answers.LessonRow::alumniHits).toList(), "b6");
            }
        }
    }

    private void lessonTable(final List<Answers.LessonRow> rows, final boolean cohorts) {
        html.append("<table><tr><th>lesson</th><th>hits</th><th>students</th><th>alumni</th><th>staff</th>")
                .append(cohorts ? "<th>cohorts reading it</th>" : "").append("<th>first read</th></tr>");
        for (final Answers.LessonRow r : rows) {
            html.append("<tr><td>").append(esc(r.lesson())).append("</td><td class=n>").append(r.hits()).append("</td><td class=n>")
                    .append(r.studentHits()).append("</td><td class=n>").append(r.alumniHits()).append("</td><td class=n>").append(r.staffHits())
                    .append("</td>");
            if (cohorts) {
                html.append("<td class=n>").append(r.cohorts()).append(" of ").append(r.programCohorts()).append("</td>");
            }
            html.append("<td>").append(r.firstSeen()).append("</td></tr>");
        }
        html.append("</table>");
    }

    /** A horizontal bar chart in SVG, bars of the CSS class {@code style}, each value written at the bar's end. */
    private void bars(final List<String> labels, final List<Long> values, final String style) {
        bars(labels, values, style, "");
    }

    private void bars(final List<String> labels, final List<Long> values, final String style, final String unit) {
        final long max = values.stream().mapToLong(Long::longValue).max().orElse(1);
        final int row = 20;
        final int height = labels.size() * row + 4;
        html.append("<svg width=\"760\" height=\"").append(height).append("\" viewBox=\"0 0 760 ").append(height).append("\" role=\"img\">");
        for (int i = 0; i < labels.size(); i++) {
            final long width = Math.round(380.0 * values.get(i) / Math.max(max, 1));
            html.append("<text x=\"290\" y=\"").append(i * row + 14).append("\" text-anchor=\"end\">").append(esc(labels.get(i))).append("</text>")
                    .append("<rect class=\"").append(style).append("\" x=\"296\" y=\"").append(i * row + 3).append("\" width=\"").append(width)
                    .append("\" height=\"14\"/><text class=\"s\" x=\"").append(300 + width).append("\" y=\"").append(i * row + 14).append("\">")
                    .append(count(values.get(i))).append(unit).append("</text>");
        }
        html.append("</svg>");
    }

    /** Machine-speed episodes on a time line: one mark per alert, bursts above, crawls below. */
    private void timeline(final List<MachineSpeedAlert> machine) {
        if (machine.isEmpty()) {
            html.append("<p>No machine-speed episodes.</p>");
            return;
        }
        final List<Long> times = new ArrayList<>();
        machine.forEach(a -> times.add(a.detectedAt().toEpochMilli()));
        final long from = times.stream().mapToLong(Long::longValue).min().orElse(0);
        final long to = Math.max(from + 1, times.stream().mapToLong(Long::longValue).max().orElse(1));
        html.append("<svg width=\"1000\" height=\"90\" role=\"img\"><line x1=\"20\" y1=\"45\" x2=\"980\" y2=\"45\" stroke=\"#999\"/>")
                .append("<text x=\"20\" y=\"85\" font-size=\"11\">").append(Instant.ofEpochMilli(from).toString(), 0, 10).append("</text>")
                .append("<text x=\"980\" y=\"85\" font-size=\"11\" text-anchor=\"end\">").append(Instant.ofEpochMilli(to).toString(), 0, 10)
                .append("</text><text x=\"20\" y=\"12\" font-size=\"11\">burst</text><text x=\"20\" y=\"72\" font-size=\"11\">crawl</text>");
        for (int i = 0; i < machine.size(); i++) {
            final double x = 20 + 960.0 * (times.get(i) - from) / (to - from);
            final boolean burst = machine.get(i).rule().equals("burst");
            html.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"><title>%s %s %s</title></circle>", x, burst ? 30 : 60,
                    burst ? "#d14a4a" : "#d19a4a", esc(machine.get(i).rule()), esc(String.valueOf(machine.get(i).ip())),
                    esc(String.valueOf(machine.get(i).detectedAt()))));
        }
        html.append("</svg>");
    }

    /** A band chart for each charted series with breaches, and how many series with breaches are left out. */
    private void bandCharts(final List<AlertRecord> alerts, final Map<LessonKey, List<BandCounts.Point>> bandCounts) {
        final Map<LessonKey, List<BandAlert>> breaches = breachesBySeries(alerts);
        if (breaches.isEmpty()) {
            html.append("<p>No lesson-band breaches.</p>");
            return;
        }
        final BandAlert first = breaches.values().iterator().next().get(0);
        final double k = first.k();
        final boolean bollinger = "bollinger".equals(first.model());
        html.append("<p class=\"muted\">Hits per day of each lesson with breaches (the line; <b>*</b> is the whole program), the band ")
                .append("each day was judged against (shaded: ").append(bollinger
                        ? String.format(Locale.ROOT, "mean ± %.1f·max(σ, √mean) of the preceding same weekdays", k)
                        : String.format(Locale.ROOT, "%.1f spreads either side of the expected count on the square-root scale, and at least "
                                + "the minimum effect; a lesson's expected count is its usual one times its program's activity that day", k))
                .append("; dashed: the expected count; none on calendar holidays and while there is too little history or ")
                .append("traffic), and the detector's alerts: ▲ spike, ▼ drop. The daily hits are counted again from the replayed file ")
                .append("with the detector's rules.</p>");
        int charted = 0;
        for (final Map.Entry<LessonKey, List<BandAlert>> series : breaches.entrySet()) {
            final List<BandCounts.Point> points = bandCounts.get(series.getKey());
            if (points != null) {
                bandChart(series.getValue(), points);
                charted++;
            }
        }
        if (charted < breaches.size()) {
            html.append("<p>").append(breaches.size() - charted).append(" more lessons with breaches are not charted; the table lists ")
                    .append("every breach.</p>");
        }
    }

    /**
     * One series: its count per window, the band of each judged window, the expected count, and the alerts' breaches marked. Compact for
     * long series: the band is one path of per-day steps, the expected count and the counts one path each, styles shared through CSS
     * classes; a point per day to hover (day, count, band) only up to {@value #HOVER_POINTS} days, the breaches always.
     */
    private void bandChart(final List<BandAlert> breaches, final List<BandCounts.Point> points) {
        final int width = 1000;
        final int height = 200;
        final int left = 46;
        final int right = 10;
        final int top = 8;
        final int bottom = 24;
        final BandAlert first = breaches.get(0);
        final String lesson = first.lesson();
        final long from = points.get(0).windowStart().toEpochMilli();
        final long to = Math.max(from + 1, points.get(points.size() - 1).windowEnd().toEpochMilli());
        double max = 1;
        for (final BandCounts.Point p : points) {
            max = Math.max(max, Math.max(p.count(), p.band().judged() ? p.band().upper() : 0));
        }
        for (final BandAlert b : breaches) {
            max = Math.max(max, b.count());
        }
        final double yMax = niceCeiling(max * 1.05);
        final double xScale = (double) (width - left - right) / (to - from);
        final double yScale = (height - top - bottom) / yMax;
        final LongToDoubleFunction x = t -> left + (t - from) * xScale;
        final DoubleUnaryOperator y = v -> height - bottom - Math.max(0, v) * yScale;

        html.append("<figure class=\"band\" data-series=\"").append(esc(new LessonKey(first.programId(), lesson).text())).append("\">")
                .append("<figcaption><b>").append(esc("*".equals(lesson) ? "all lessons" : lesson)).append("</b> · ")
                .append(esc(first.program())).append(" · ").append(breaches.size()).append(breaches.size() == 1 ? " breach" : " breaches")
                .append("</figcaption>")
                .append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", width, height, width, height));
        for (final double tick : new double[] {0, yMax / 2, yMax}) {
            html.append(String.format(Locale.ROOT, "<path class=\"grid\" d=\"M%d %.0fH%d\"/>", left, y.applyAsDouble(tick), width - right))
                    .append(String.format(Locale.ROOT, "<text class=\"s\" x=\"%d\" y=\"%.0f\" text-anchor=\"end\">%s</text>", left - 4,
                            y.applyAsDouble(tick) + 4, number(tick)));
        }
        final StringBuilder band = new StringBuilder();
        final StringBuilder mean = new StringBuilder();
        final StringBuilder ticks = new StringBuilder();
        final StringBuilder labels = new StringBuilder();
        String month = "";
        for (final BandCounts.Point p : points) {
            final String day = p.windowStart().toString();
            final double x0 = x.applyAsDouble(p.windowStart().toEpochMilli());
            final double x1 = x.applyAsDouble(p.windowEnd().toEpochMilli());
            if (!day.substring(0, 7).equals(month)) {
                month = day.substring(0, 7);
                ticks.append(String.format(Locale.ROOT, "M%.1f %dv4", x0, height - bottom));
                if (points.size() <= HOVER_POINTS || month.endsWith("-01") || month.endsWith("-04") || month.endsWith("-07") || month.endsWith("-10")) {
                    labels.append(String.format(Locale.ROOT, "<text class=\"s\" x=\"%.0f\" y=\"%d\">%s</text>", x0 + 2, height - 6,
                            day.substring(0, points.size() <= HOVER_POINTS ? 10 : 7)));
                }
            }
            if (p.band().judged()) {
                final double upper = y.applyAsDouble(p.band().upper());
                band.append(String.format(Locale.ROOT, "M%.1f %.1fh%.1fV%.1fh%.1fz", x0, upper, Math.max(0.5, x1 - x0),
                        Math.max(upper + 0.5, y.applyAsDouble(p.band().lower())), -Math.max(0.5, x1 - x0)));
                mean.append(String.format(Locale.ROOT, "M%.1f %.1fH%.1f", x0, y.applyAsDouble(p.band().expected()), x1));
            }
        }
        html.append("<path class=\"band\" d=\"").append(band).append("\"/><path class=\"mean\" d=\"").append(mean).append("\"/>")
                .append("<path class=\"tick\" d=\"").append(ticks).append("\"/>").append(labels);
        html.append("<path class=\"count\" d=\"");
        for (int i = 0; i < points.size(); i++) {
            final BandCounts.Point p = points.get(i);
            html.append(i == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", x.applyAsDouble(middle(p)), y.applyAsDouble(p.count())));
        }
        html.append("\"/>");
        if (points.size() <= HOVER_POINTS) {
            for (final BandCounts.Point p : points) {
                html.append(String.format(Locale.ROOT, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\"><title>%s: %d hits%s</title></circle>",
                        x.applyAsDouble(middle(p)), y.applyAsDouble(p.count()), p.windowStart().toString().substring(0, 10), p.count(),
                        p.band().judged() ? String.format(Locale.ROOT, ", expected %.1f, band %.1f – %.1f", p.band().expected(), p.band().lower(),
                                p.band().upper()) : ", not judged"));
            }
        }
        for (final BandAlert b : breaches) {
            final boolean spike = b.rule().equals("band-spike");
            final Instant start = b.windowStart();
            final Instant end = b.windowEnd();
            final double cx = x.applyAsDouble((start.toEpochMilli() + end.toEpochMilli()) / 2);
            final double cy = y.applyAsDouble(b.count());
            final double tip = spike ? cy - 12 : cy + 12;
            html.append(String.format(Locale.ROOT, "<path class=\"%s\" d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\"><title>%s %s: %d hits, band %.1f – %.1f</title></path>",
                    spike ? "spike" : "drop", cx, tip, cx - 6, spike ? cy - 2 : cy + 2, cx + 6, spike ? cy - 2 : cy + 2,
                    esc(b.rule()), esc(sinceOf(b).toString().substring(0, 10)), b.count(), b.lower(), b.upper()));
        }
        html.append("</svg></figure>");
    }

    /** The start of the breach's episode; the window's for an alert that has none. */
    private static Instant sinceOf(final BandAlert breach) {
        return breach.since() != null ? breach.since() : breach.windowStart();
    }

    /** The users of a machine-speed alert as JSON writes them, e.g. {@code [247,301]}. */
    private static String userIds(final MachineSpeedAlert alert) {
        return alert.userIds() == null ? "null" : alert.userIds().toString().replace(" ", "");
    }

    private static long middle(final BandCounts.Point p) {
        return (p.windowStart().toEpochMilli() + p.windowEnd().toEpochMilli()) / 2;
    }

    /** The smallest of 1, 2, 2.5, 5 × a power of ten at or above {@code value}: a round top for an axis. */
    private static double niceCeiling(final double value) {
        final double power = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1))));
        for (final double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String number(final double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String age(final Duration age) {
        return age.toHoursPart() == 0 && age.toMinutesPart() == 0 && age.toSecondsPart() == 0 ? age.toDays() + " days" : age.toString();
    }

    private static String count(final long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A p-value from its log10, also below a double's range: {@code 3.2e-7}, {@code < 1e-300}. */
    static String pValue(final double log10) {
        if (log10 < -300) {
            return "< 1e-300";
        }
        final double p = Math.pow(10, log10);
        return p >= 0.01 ? String.format(Locale.ROOT, "%.2f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    private static String esc(final String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
