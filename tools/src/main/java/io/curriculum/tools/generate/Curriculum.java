package io.curriculum.tools.generate;

import io.curriculum.detector.detect.Lessons;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The curriculum the generated readers walk: each program's modules and lessons, in course order, with a
 * Zipf-like popularity that the seed shuffles (so two seeds have different favourite lessons). Lessons shared
 * by several programs (the fundamentals, HTML and CSS, JavaScript) are one path, as on the real site. Every
 * lesson path is already in the detector's normal form, so a path and its lesson are the same text.
 */
final class Curriculum {

    /** Program ids as in the cohorts table: 1 PHP, 2 Java, 3 data science, 4 front-end. */
    static final int PROGRAMS = 5;

    private static final double ZIPF_EXPONENT = 0.9;

    private static final Map<String, List<String>> MODULES = modules();

    private static final Map<Integer, List<String>> PROGRAM_MODULES = Map.of(
            1, List.of("fundamentals", "html-css", "javascript-i", "jquery", "php-i", "php-ii", "mysql", "laravel", "appendix"),
            2, List.of("fundamentals", "html-css", "javascript-i", "javascript-ii", "jquery", "java-i", "java-ii", "java-iii",
                    "mysql", "spring", "appendix"),
            3, List.of("fundamentals", "python", "sql", "stats", "regression", "classification", "clustering", "timeseries",
                    "anomaly-detection", "nlp", "storytelling", "appendix"),
            4, List.of("fundamentals", "html-css", "javascript-i", "javascript-ii", "jquery", "content", "appendix"));

    private final List<String> lessons = new ArrayList<>();
    private final List<String> moduleOf = new ArrayList<>();
    private final int[][] programLessons = new int[PROGRAMS][];
    private final double[][] programCumulative = new double[PROGRAMS][];

    Curriculum(final SplittableRandom random) {
        final Map<String, Integer> index = new LinkedHashMap<>();
        for (int program = 1; program < PROGRAMS; program++) {
            final List<Integer> own = new ArrayList<>();
            for (final String module : PROGRAM_MODULES.get(program)) {
                for (final String topic : MODULES.get(module)) {
                    final String path = module + "/" + topic;
                    final Integer known = index.get(path);
                    if (known != null) {
                        own.add(known);
                        continue;
                    }
                    if (!path.equals(Lessons.normalize(path))) {
                        throw new IllegalStateException("lesson path not in normal form: " + path);
                    }
                    index.put(path, lessons.size());
                    own.add(lessons.size());
                    lessons.add(path);
                    moduleOf.add(module);
                }
            }
            programLessons[program] = own.stream().mapToInt(Integer::intValue).toArray();
            programCumulative[program] = zipf(own.size(), random);
        }
        programLessons[0] = programLessons[2];
        programCumulative[0] = programCumulative[2];
    }

    /** Every distinct lesson of every program, in a fixed order; a lesson's index is its id in this generator. */
    List<String> lessons() {
        return lessons;
    }

    int lessonCount() {
        return lessons.size();
    }

    String lesson(final int lesson) {
        return lessons.get(lesson);
    }

    String module(final int lesson) {
        return moduleOf.get(lesson);
    }

    /** The program's lessons in course order (program 0, readers without a cohort, read the Java course). */
    int[] lessonsOf(final int program) {
        return programLessons[program];
    }

    /** A lesson of the program, popular ones more often. */
    int popular(final int program, final SplittableRandom random) {
        final double[] cumulative = programCumulative[program];
        final double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return programLessons[program][lo];
    }

    /** The program's lessons that no other program has, least popular first (ties in course order). */
    List<Integer> ownLessonsByRarity(final int program) {
        final double[] cumulative = programCumulative[program];
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < cumulative.length; i++) {
            if (programsOf(programLessons[program][i]) == 1) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingDouble((Integer i) -> cumulative[i] - (i == 0 ? 0 : cumulative[i - 1])).thenComparingInt(i -> i));
        return order.stream().map(i -> programLessons[program][i]).toList();
    }

    private int programsOf(final int lesson) {
        int programs = 0;
        for (int program = 1; program < PROGRAMS; program++) {
            for (final int own : programLessons[program]) {
                if (own == lesson) {
                    programs++;
                    break;
                }
            }
        }
        return programs;
    }

    /** The lesson after this one in the program's course order, or a popular one at the end of the course. */
    int next(final int program, final int lesson, final SplittableRandom random) {
        final int[] own = programLessons[program];
        for (int i = 0; i < own.length - 1; i++) {
            if (own[i] == lesson) {
                return own[i + 1];
            }
        }
        return popular(program, random);
    }

    /** An image, style or script a lesson page pulls in; the detector counts none of them as a lesson. */
    String asset(final int lesson, final SplittableRandom random) {
        final String module = moduleOf.get(lesson);
        final String topic = lessons.get(lesson).substring(module.length() + 1);
        return switch (random.nextInt(10)) {
            case 0 -> "assets/css/theme.css";
            case 1 -> "assets/js/curriculum.js";
            case 2, 3 -> module + "/images/" + topic + "-" + random.nextInt(1, 6) + ".jpeg";
            default -> module + "/images/" + topic + "-" + random.nextInt(1, 9) + ".png";
        };
    }

    /** Zipf weights over a seeded permutation of ranks, as a cumulative array in course order. */
    private static double[] zipf(final int size, final SplittableRandom random) {
        final int[] rank = new int[size];
        for (int i = 0; i < size; i++) {
            rank[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        final double[] cumulative = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += 1.0 / Math.pow(rank[i] + 1.0, ZIPF_EXPONENT);
            cumulative[i] = sum;
        }
        return cumulative;
    }

    private static Map<String, List<String>> modules() {
        final Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("fundamentals", List.of("intro-to-the-web", "terminal", "git", "github", "markdown", "vocabulary",
                "environment-setup", "computer-science", "problem-solving", "slack", "css", "html", "intellij",
                "debugging", "pair-programming", "version-control", "command-line-tools", "asking-for-help"));
        m.put("html-css", List.of("introduction", "elements", "forms", "tables", "css-i", "css-ii", "selectors",
                "box-model", "positioning", "flexbox", "grid", "media-queries", "bootstrap-introduction",
                "bootstrap-grid", "bootstrap-components", "accessibility", "semantic-html", "fonts", "colors",
                "mockups-and-wireframes"));
        m.put("javascript-i", List.of("introduction-to-js", "javascript-with-html", "operators", "data-types",
                "variables", "functions", "conditionals", "loops", "arrays", "objects", "math", "strings",
                "dom-basics", "events", "es6", "functions-exercises", "conditionals-exercises", "loops-exercises",
                "arrays-exercises", "objects-exercises", "bom-and-dom", "timers", "debugging", "higher-order-functions"));
        m.put("javascript-ii", List.of("ajax-api", "promises", "es6", "map-filter-reduce", "modules", "npm",
                "webpack", "fetch-api", "json", "callbacks", "closures", "classes", "async-await",
                "local-storage", "testing", "mapbox-api", "weather-map", "coffee-project"));
        m.put("jquery", List.of("introduction", "selectors", "events", "essential-methods", "attributes-and-css",
                "traversing", "ajax", "effects", "keyboard-events", "mouse-events", "animations",
                "forms", "plugins", "simple-blog", "weather-app"));
        m.put("java-i", List.of("introduction-to-java", "syntax-types-and-variables", "control-statements-and-loops",
                "methods", "console-io", "java-with-intellij", "strings", "arrays", "exceptions",
                "objects", "classes", "packages", "static-members", "git-workflow", "java-i-exercises", "scanner",
                "primitive-types", "operators", "casting"));
        m.put("java-ii", List.of("arrays", "collections", "interfaces", "inheritance-and-polymorphism",
                "object-oriented-programming", "encapsulation", "abstract-classes", "exceptions-and-error-handling",
                "file-io", "generics", "lambdas", "streams", "hashmaps", "arraylists", "enums",
                "unit-testing", "junit", "grades-app", "movies-app", "contacts-manager"));
        m.put("java-iii", List.of("intro", "servlets", "jsp-and-jstl", "mvc", "jdbc", "dao", "sessions-and-cookies",
                "user-input", "security", "deployment", "maven", "tomcat", "ad-lister", "search", "validation",
                "filters", "redirects"));
        m.put("mysql", List.of("introduction", "databases", "tables", "users", "basic-statements", "clauses",
                "functions", "indexes", "relationships", "joins", "subqueries", "temporary-tables",
                "case-statements", "group-by", "aggregates", "views", "normalization", "migrations-and-seeders",
                "database-design", "more-exercises"));
        m.put("spring", List.of("fundamentals", "controllers", "views", "repositories", "relationships",
                "security", "services", "forms", "file-upload", "thymeleaf", "spring-boot", "jpa", "testing",
                "rest-controllers", "deployment", "capstone-setup", "environment-variables", "ajax-with-spring"));
        m.put("appendix", List.of("further-reading", "cli-cheatsheet", "git-cheatsheet", "postwork",
                "interview-questions", "capstone", "capstone-workbook", "code-standards", "regex",
                "html-entities", "documentation", "open-source", "javascript-style-guide",
                "linux-server", "professional-development", "career-services", "resumes", "portfolio",
                "ergonomics", "student-resources"));
        m.put("php-i", List.of("introduction", "setup", "variables", "conditionals", "loops", "arrays",
                "functions", "strings", "includes", "get-and-post", "forms", "sessions"));
        m.put("php-ii", List.of("classes", "objects", "inheritance", "interfaces", "traits", "exceptions",
                "namespaces", "composer", "pdo", "prepared-statements", "mvc", "validation", "file-uploads",
                "testing"));
        m.put("laravel", List.of("introduction", "routing", "controllers", "views", "blade", "migrations",
                "seeders", "eloquent", "models", "relationships", "authentication", "validation", "middleware",
                "deployment"));
        m.put("content", List.of("javascript-projects", "css-animations", "responsive-design", "sass", "react",
                "react-state", "react-hooks", "react-router", "redux", "typescript", "vue", "testing-javascript",
                "web-performance", "design-systems", "portfolio-site"));
        m.put("python", List.of("introduction-to-python", "data-types-and-variables", "control-structures",
                "functions", "imports", "list-comprehensions", "data-structures", "errors-and-exceptions",
                "numpy", "pandas-series", "pandas-dataframes", "pandas-advanced", "matplotlib", "seaborn",
                "dataframes", "acquire", "prepare", "explore", "pandas-time-series", "python-exercises"));
        m.put("sql", List.of("introduction", "databases", "basic-statements", "order-by", "limit", "where",
                "functions", "group-by", "joins", "subqueries", "temporary-tables", "case-statements",
                "more-exercises", "mysql-overview", "sql-with-pandas"));
        m.put("stats", List.of("overview", "descriptive-stats", "probability-distributions", "simulation",
                "hypothesis-testing", "compare-means", "correlation", "chi-square", "bayes", "confidence-intervals",
                "sampling", "power-analysis", "more-statistical-testing-examples"));
        m.put("regression", List.of("overview", "acquire-and-prep", "scale", "explore", "feature-engineering",
                "evaluate", "model", "linear-regression", "polynomial-regression", "regularization",
                "project", "multivariate", "model-selection"));
        m.put("classification", List.of("overview", "acquire", "prep", "explore", "scale", "feature-engineering",
                "model-evaluation", "decision-trees", "random-forest", "knn", "logistic-regression",
                "naive-bayes", "project", "ensembles", "imbalanced-classes"));
        m.put("clustering", List.of("overview", "acquire", "prep", "explore", "k-means", "dbscan",
                "hierarchical", "project", "evaluation", "feature-engineering"));
        m.put("timeseries", List.of("overview", "acquire", "prep", "explore", "modeling", "arima", "prophet",
                "working-with-time-series-data", "seasonality", "project", "resampling"));
        m.put("anomaly-detection", List.of("overview", "continuous-probabilistic-methods",
                "discrete-probabilistic-methods", "time-series-anomaly-detection", "clustering-anomaly-detection",
                "ip-address-analysis", "project"));
        m.put("nlp", List.of("overview", "acquire", "prepare", "explore", "modeling", "sentiment-analysis",
                "tf-idf", "web-scraping", "project", "topic-modeling"));
        m.put("storytelling", List.of("overview", "tableau", "visualization-principles", "creating-charts",
                "presenting", "dashboards", "project"));
        return m;
    }
}
