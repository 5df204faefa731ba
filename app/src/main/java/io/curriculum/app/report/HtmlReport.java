package io.curriculum.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.views.Answers;
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

    private final StringBuilder html = new StringBuilder(64 * 1024);

    private HtmlReport() {
    }

    /**
     * Writes the report to {@code file}.
     *
     * @param title        what was replayed (file name, replay id)
     * @param answers      the merged views
     * @param alerts       every alert of the replay, its latest record (the replay's alerts file)
     * @param cohortNames  cohorts to show the over-read lessons of (the cohorts that have student hits)
     * @param bandCounts   the windows of the series to chart ({@link BandCounts} of {@link #bandSeriesToChart})
     */
    public static void write(final Path file, final String title, final Answers answers, final List<JsonNode> alerts,
                             final List<String> cohortNames, final Duration newLessonAge,
                             final Map<String, List<BandCounts.Point>> bandCounts) throws IOException {
        final HtmlReport report = new HtmlReport();
        report.render(title, answers, alerts, cohortNames, newLessonAge, bandCounts);
        Files.writeString(file, report.html, StandardCharsets.UTF_8);
    }

    /**
     * The band series ({@code <programId>|<lesson>}) the report charts: those with band alerts, the one whose breach lies
     * farthest outside its band first ({@link #deviations}), then the one with more breaches, then by program and lesson; at
     * most {@value #MAX_BAND_CHARTS}.
     */
    public static Set<String> bandSeriesToChart(final List<JsonNode> alerts) {
        final Set<String> keys = new LinkedHashSet<>();
        breachesBySeries(alerts).keySet().stream().limit(MAX_BAND_CHARTS).forEach(keys::add);
        return keys;
    }

    /** Band alerts by series, in the order {@link #bandSeriesToChart} charts them. */
    private static Map<String, List<JsonNode>> breachesBySeries(final List<JsonNode> alerts) {
        final Map<String, List<JsonNode>> bySeries = new LinkedHashMap<>();
        alerts.stream().filter(a -> a.path("rule").asText().startsWith("band-"))
                .sorted(Comparator.comparingInt((JsonNode a) -> a.path("programId").asInt()).thenComparing(a -> a.path("lesson").asText())
                        .thenComparing(a -> a.path("windowStart").asText()))
                .forEach(a -> bySeries.computeIfAbsent(a.path("programId").asInt() + "|" + a.path("lesson").asText(), k -> new ArrayList<>()).add(a));
        final Map<String, List<JsonNode>> ordered = new LinkedHashMap<>();
        bySeries.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, List<JsonNode>> e) -> -e.getValue().stream().mapToDouble(HtmlReport::deviations).max().orElse(0))
                        .thenComparingInt(e -> -e.getValue().size()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** How far a breach lies from its band's mean, in the band's deviations max(σ, √mean): the half-width is k of them. */
    private static double deviations(final JsonNode breach) {
        final double mean = breach.path("mean").asDouble();
        final double deviation = (breach.path("upper").asDouble() - mean) / breach.path("k").asDouble(1);
        return deviation <= 0 ? 0 : Math.abs(breach.path("count").asDouble() - mean) / deviation;
    }

    private void render(final String title, final Answers answers, final List<JsonNode> alerts, final List<String> cohortNames,
                        final Duration newLessonAge, final Map<String, List<BandCounts.Point>> bandCounts) {
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Curriculum access report</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
                .append("h1{font-size:1.6em}h2{border-bottom:2px solid #ccd;margin-top:2em}h3{margin-bottom:.3em}")
                .append("table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}")
                .append("th{background:#f0f2f8}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#777}")
                .append(".flag{color:#b00;font-weight:600}svg{display:block;margin:.5em 0}figure{margin:1em 0}figcaption{font-size:.95em}")
                .append("</style></head><body>");
        html.append("<h1>Curriculum access report</h1><p class=\"muted\">").append(esc(title)).append("; newest access ")
                .append(answers.newest() == 0 ? "none" : Instant.ofEpochMilli(answers.newest()).toString()).append("</p>");

        html.append("<h2>1. Which lessons attract the most traffic, per program?</h2>");
        for (final int program : answers.programs()) {
            if (program == Program.UNKNOWN) {
                continue;
            }
            final List<Answers.LessonRow> top = answers.topLessons(program, TOP);
            html.append("<h3>").append(esc(Program.name(program))).append("</h3>");
            bars(top.stream().map(Answers.LessonRow::lesson).toList(), top.stream().map(Answers.LessonRow::hits).toList(), "#4a6fd1");
            lessonTable(top, true);
        }

        html.append("<h2>2. Which cohort reads a lesson much more than the other cohorts of its program?</h2>")
                .append("<p class=\"muted\">A lesson is over-read when the cohort's share of its hits is at least twice the other cohorts' mean share, ")
                .append("3 deviations above it, with at least 20 hits.</p><table><tr><th>cohort</th><th>program</th><th>lesson</th>")
                .append("<th>hits</th><th>share</th><th>others' mean share</th><th>ratio</th></tr>");
        int overused = 0;
        for (final String name : cohortNames) {
            final Integer id = answers.cohortId(name);
            final Answers.CohortOveruse overuse = id == null ? null : answers.overused(id, 2.0, 3.0, 20, 5);
            if (overuse == null) {
                continue;
            }
            for (final Answers.OveruseRow row : overuse.lessons()) {
                if (row.overused()) {
                    overused++;
                    html.append("<tr><td>").append(esc(overuse.cohort())).append("</td><td>").append(esc(overuse.program())).append("</td><td>")
                            .append(esc(row.lesson())).append("</td><td class=n>").append(row.hits()).append("</td><td class=n>")
                            .append(pct(row.share())).append("</td><td class=n>").append(pct(row.othersMeanShare())).append("</td><td class=n>")
                            .append(row.ratio() < 0 ? "only this cohort" : String.format(Locale.ROOT, "%.1f×", row.ratio())).append("</td></tr>");
                }
            }
        }
        html.append("</table>");
        if (overused == 0) {
            html.append("<p>No cohort over-reads a lesson.</p>");
        }

        html.append("<h2>3. Which students, while enrolled, hardly access the curriculum?</h2>");
        final List<Answers.StudentRow> inactive = answers.inactiveStudents(1000);
        html.append("<p>").append(inactive.size()).append(" students judged inactive (too few accesses in their first class days).</p>")
                .append("<table><tr><th>user</th><th>cohort</th><th>program</th><th>accesses enrolled</th><th>active days</th>")
                .append("<th>first access</th><th>last access</th><th>judged window</th><th>accesses in it</th></tr>");
        for (final Answers.StudentRow s : inactive) {
            html.append("<tr><td>").append(s.userId()).append("</td><td>").append(esc(s.cohort())).append("</td><td>").append(esc(s.program()))
                    .append("</td><td class=n>").append(s.accesses()).append("</td><td class=n>").append(s.activeDays()).append("</td><td>")
                    .append(s.firstAccess()).append("</td><td>").append(s.lastAccess()).append("</td><td>").append(s.windowStart()).append(" – ")
                    .append(s.windowEnd()).append("</td><td class=n>").append(s.accessesInWindow()).append("</td></tr>");
        }
        html.append("</table>");

        html.append("<h2>4. Suspicious activity</h2><h3>Machine-speed episodes</h3>");
        final List<JsonNode> machine = alerts.stream().filter(a -> a.path("rule").asText().equals("burst") || a.path("rule").asText().equals("crawl")).toList();
        timeline(machine);
        html.append("<table><tr><th>detected</th><th>rule</th><th>scope</th><th>ip</th><th>users</th><th>distinct lessons</th><th>requests</th></tr>");
        for (final JsonNode a : machine) {
            html.append("<tr><td>").append(esc(a.path("detectedAt").asText())).append("</td><td>").append(esc(a.path("rule").asText()))
                    .append("</td><td>").append(esc(a.path("scope").asText())).append("</td><td>").append(esc(a.path("ip").asText()))
                    .append("</td><td>").append(esc(a.path("userIds").toString())).append("</td><td class=n>").append(a.path("distinctPages").asInt())
                    .append("</td><td class=n>").append(a.path("requests").asLong()).append("</td></tr>");
        }
        html.append("</table><h3>Accounts whose access does not fit their role</h3>");
        final List<Answers.MismatchRow> mismatches = answers.roleMismatches();
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
        html.append("<table><tr><th>rule</th><th>program</th><th>lesson</th><th>day</th><th>count</th><th>band</th></tr>");
        for (final JsonNode a : alerts) {
            if (a.path("rule").asText().startsWith("band-")) {
                html.append("<tr><td class=flag>").append(esc(a.path("rule").asText())).append("</td><td>").append(esc(a.path("program").asText()))
                        .append("</td><td>").append(esc(a.path("lesson").asText())).append("</td><td>").append(esc(a.path("windowStart").asText()))
                        .append("</td><td class=n>").append(a.path("count").asLong()).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.1f – %.1f (mean %.1f)", a.path("lower").asDouble(), a.path("upper").asDouble(),
                                a.path("mean").asDouble())).append("</td></tr>");
            }
        }
        html.append("</table>");

        html.append("<h2>5. Which lessons are least accessed?</h2><p class=\"muted\">Assets, indexes and the home page are not lessons; ")
                .append("lessons first read less than ").append(esc(newLessonAge.toString())).append(" before the newest access are too new to judge.</p>");
        for (final int program : answers.programs()) {
            if (program != Program.UNKNOWN) {
                html.append("<h3>").append(esc(Program.name(program))).append("</h3>");
                lessonTable(answers.leastLessons(program, TOP, newLessonAge), false);
            }
        }

        html.append("<h2>6. What do alumni keep reading, per program?</h2>");
        for (final int program : answers.programs()) {
            final List<Answers.LessonRow> alumni = answers.alumniTopics(program, TOP);
            if (program != Program.UNKNOWN && !alumni.isEmpty()) {
                html.append("<h3>").append(esc(Program.name(program))).append("</h3>");
                bars(alumni.stream().map(Answers.LessonRow::lesson).toList(), alumni.stream().map(Answers.LessonRow::alumniHits).toList(), "#2a9d6f");
            }
        }
        html.append("</body></html>\n");
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

    /** A horizontal bar chart in SVG. */
    private void bars(final List<String> labels, final List<Long> values, final String colour) {
        final long max = values.stream().mapToLong(Long::longValue).max().orElse(1);
        final int row = 20;
        html.append("<svg width=\"760\" height=\"").append(labels.size() * row + 4).append("\" role=\"img\">");
        for (int i = 0; i < labels.size(); i++) {
            final double width = 440.0 * values.get(i) / Math.max(max, 1);
            html.append(String.format(Locale.ROOT, "<text x=\"250\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">%s</text>", i * row + 14, esc(labels.get(i))))
                    .append(String.format(Locale.ROOT, "<rect x=\"256\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>", i * row + 3, width, colour))
                    .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%d</text>", 260 + width, i * row + 14, values.get(i)));
        }
        html.append("</svg>");
    }

    /** Machine-speed episodes on a time line: one mark per alert, bursts above, crawls below. */
    private void timeline(final List<JsonNode> machine) {
        if (machine.isEmpty()) {
            html.append("<p>No machine-speed episodes.</p>");
            return;
        }
        final List<Long> times = new ArrayList<>();
        machine.forEach(a -> times.add(Instant.parse(a.path("detectedAt").asText()).toEpochMilli()));
        final long from = times.stream().mapToLong(Long::longValue).min().orElse(0);
        final long to = Math.max(from + 1, times.stream().mapToLong(Long::longValue).max().orElse(1));
        html.append("<svg width=\"1000\" height=\"90\" role=\"img\"><line x1=\"20\" y1=\"45\" x2=\"980\" y2=\"45\" stroke=\"#999\"/>")
                .append("<text x=\"20\" y=\"85\" font-size=\"11\">").append(Instant.ofEpochMilli(from).toString(), 0, 10).append("</text>")
                .append("<text x=\"980\" y=\"85\" font-size=\"11\" text-anchor=\"end\">").append(Instant.ofEpochMilli(to).toString(), 0, 10)
                .append("</text><text x=\"20\" y=\"12\" font-size=\"11\">burst</text><text x=\"20\" y=\"72\" font-size=\"11\">crawl</text>");
        for (int i = 0; i < machine.size(); i++) {
            final double x = 20 + 960.0 * (times.get(i) - from) / (to - from);
            final boolean burst = machine.get(i).path("rule").asText().equals("burst");
            html.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"><title>%s %s %s</title></circle>", x, burst ? 30 : 60,
                    burst ? "#d14a4a" : "#d19a4a", esc(machine.get(i).path("rule").asText()), esc(machine.get(i).path("ip").asText()),
                    esc(machine.get(i).path("detectedAt").asText())));
        }
        html.append("</svg>");
    }

    /** A band chart for each charted series with breaches, and how many series with breaches are left out. */
    private void bandCharts(final List<JsonNode> alerts, final Map<String, List<BandCounts.Point>> bandCounts) {
        final Map<String, List<JsonNode>> breaches = breachesBySeries(alerts);
        if (breaches.isEmpty()) {
            html.append("<p>No lesson-band breaches.</p>");
            return;
        }
        final double k = breaches.values().iterator().next().get(0).path("k").asDouble();
        html.append("<p class=\"muted\">Hits per day of each lesson with breaches (the line; <b>*</b> is the whole program), the band ")
                .append("each day was judged against (shaded: mean ± ").append(String.format(Locale.ROOT, "%.1f", k))
                .append("·max(σ, √mean) of the preceding same weekdays; dashed: the mean; none while there is too little history or ")
                .append("traffic), and the detector's alerts: ▲ spike, ▼ drop. The daily hits are counted again from the replayed file ")
                .append("with the detector's rules.</p>");
        int charted = 0;
        for (final Map.Entry<String, List<JsonNode>> series : breaches.entrySet()) {
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

    /** One series: its count per window, the band of each judged window, the mean, and the alerts' breaches marked. */
    private void bandChart(final List<JsonNode> breaches, final List<BandCounts.Point> points) {
        final int width = 1000;
        final int height = 200;
        final int left = 46;
        final int right = 10;
        final int top = 8;
        final int bottom = 24;
        final JsonNode first = breaches.get(0);
        final String lesson = first.path("lesson").asText();
        final long from = points.get(0).windowStart().toEpochMilli();
        final long to = Math.max(from + 1, points.get(points.size() - 1).windowEnd().toEpochMilli());
        double max = 1;
        for (final BandCounts.Point p : points) {
            max = Math.max(max, Math.max(p.count(), p.band().judged() ? p.band().upper() : 0));
        }
        for (final JsonNode b : breaches) {
            max = Math.max(max, b.path("count").asDouble());
        }
        final double yMax = niceCeiling(max * 1.05);
        final double xScale = (double) (width - left - right) / (to - from);
        final double yScale = (height - top - bottom) / yMax;
        final LongToDoubleFunction x = t -> left + (t - from) * xScale;
        final DoubleUnaryOperator y = v -> height - bottom - Math.max(0, v) * yScale;

        html.append("<figure class=\"band\" data-series=\"").append(esc(first.path("programId").asInt() + "|" + lesson)).append("\">")
                .append("<figcaption><b>").append(esc("*".equals(lesson) ? "all lessons" : lesson)).append("</b> · ")
                .append(esc(first.path("program").asText())).append(" · ").append(breaches.size()).append(breaches.size() == 1 ? " breach" : " breaches")
                .append("</figcaption>")
                .append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\">", width, height));
        for (final double tick : new double[] {0, yMax / 2, yMax}) {
            html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4ea\"/>", left, y.applyAsDouble(tick),
                            width - right, y.applyAsDouble(tick)))
                    .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", left - 4,
                            y.applyAsDouble(tick) + 4, number(tick)));
        }
        String month = "";
        for (final BandCounts.Point p : points) {
            final String day = p.windowStart().toString();
            final double x0 = x.applyAsDouble(p.windowStart().toEpochMilli());
            final double x1 = x.applyAsDouble(p.windowEnd().toEpochMilli());
            if (!day.substring(0, 7).equals(month)) {
                month = day.substring(0, 7);
                html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\"/>", x0, height - bottom,
                                x0, height - bottom + 4))
                        .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>", x0 + 2, height - 6, day.substring(0, 10)));
            }
            if (p.band().judged()) {
                final double upper = y.applyAsDouble(p.band().upper());
                html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#cfd9f3\"/>", x0, upper,
                                Math.max(0.5, x1 - x0), Math.max(0.5, y.applyAsDouble(p.band().lower()) - upper)))
                        .append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#6f86c4\" stroke-dasharray=\"2 2\"/>",
                                x0, y.applyAsDouble(p.band().mean()), x1, y.applyAsDouble(p.band().mean())));
            }
        }
        html.append("<polyline fill=\"none\" stroke=\"#222\" stroke-width=\"1.2\" points=\"");
        for (final BandCounts.Point p : points) {
            html.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(middle(p)), y.applyAsDouble(p.count())));
        }
        html.append("\"/>");
        for (final BandCounts.Point p : points) {
            html.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\" fill=\"#222\"><title>%s: %d hits%s</title></circle>",
                    x.applyAsDouble(middle(p)), y.applyAsDouble(p.count()), p.windowStart().toString().substring(0, 10), p.count(),
                    p.band().judged() ? String.format(Locale.ROOT, ", band %.1f – %.1f", p.band().lower(), p.band().upper()) : ", not judged"));
        }
        for (final JsonNode b : breaches) {
            final boolean spike = b.path("rule").asText().equals("band-spike");
            final Instant start = Instant.parse(b.path("windowStart").asText());
            final Instant end = Instant.parse(b.path("windowEnd").asText());
            final double cx = x.applyAsDouble((start.toEpochMilli() + end.toEpochMilli()) / 2);
            final double cy = y.applyAsDouble(b.path("count").asDouble());
            final double tip = spike ? cy - 12 : cy + 12;
            html.append(String.format(Locale.ROOT, "<path class=\"%s\" d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\" fill=\"%s\"><title>%s %s: %d hits, band %.1f – %.1f</title></path>",
                    spike ? "spike" : "drop", cx, tip, cx - 6, spike ? cy - 2 : cy + 2, cx + 6, spike ? cy - 2 : cy + 2, spike ? "#d14a4a" : "#2f6fd1",
                    esc(b.path("rule").asText()), esc(b.path("windowStart").asText().substring(0, 10)), b.path("count").asLong(),
                    b.path("lower").asDouble(), b.path("upper").asDouble()));
        }
        html.append("</svg></figure>");
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

    private static String pct(final double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    private static String esc(final String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
