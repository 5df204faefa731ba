package io.curriculum.app.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.topology.Topics;
import io.curriculum.detector.views.Answers;
import io.curriculum.detector.views.OveruseCriteria;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The analysts' HTTP API (JSON) over interactive queries, on the JDK's HTTP server. Every {@code /api/...} answer is whole on
 * any instance: the views are gathered from every instance ({@code application.server}) and merged. Endpoints:
 * <ul>
 *   <li>{@code /api/lessons/top?program=2&limit=10}, {@code /api/lessons/least?program=3&limit=10},
 *   {@code /api/alumni/topics?program=2&limit=10}: lesson rankings of a program; {@code /api/lessons/landing?program=2}: its
 *   module landing pages; {@code /api/paths/broken?limit=20}: broken or mistyped links with the lesson they likely meant;</li>
 *   <li>{@code /api/cohorts/overused?limit=10&minRatio=2&maxP=1e-6&minHits=20}: over-read lessons of every cohort, most
 *   significant first, cohorts' own pages apart; {@code /api/cohorts/{name or id}/overused?...}: one cohort's;</li>
 *   <li>{@code /api/students/inactive?limit=100}, {@code /api/students?limit=100}: students (current enrolment), fewest
 *   accesses first;</li>
 *   <li>{@code /api/accounts/mismatched}: accounts whose access does not fit their role;</li>
 *   <li>{@code /api/alerts/recent?limit=20}: the newest alerts of every alert topic;</li>
 *   <li>{@code /api/explain?ip=X}, {@code ?user=N}, {@code ?alert=ID}: what this instance holds of the subject's machine-speed
 *   keys under the rules in force, and the subject's alerts ({@link LiveExplainer}; 400 unless exactly one is given);</li>
 *   <li>{@code /internal/views}: this instance's own view entries, for the others.</li>
 * </ul>
 * Only GET and HEAD are served (405 otherwise, with an {@code Allow} header). With a bearer token (see {@link #bind(String, int,
 * String)}) every request, {@code /internal/views} included, must carry {@code Authorization: Bearer <token>} (401 otherwise);
 * the instances share the token. Errors are JSON, always ({@code {"error": "..."}}): 400 for a bad parameter (not a whole
 * number, negative, a limit over {@value #MAX_LIMIT}, an unknown program, a query over {@value #MAX_QUERY_CHARS}
 * characters), 401, 404 for an unknown cohort or path, 405, 503 while the stores are not queryable (rebalancing).
 */
public final class AnalystApi implements AutoCloseable {

    static final int MAX_LIMIT = 10_000;
    static final int MAX_QUERY_CHARS = 2048;

    private final HttpServer server;
    private final byte[] token;
    private ViewGatherer gatherer;
    private RecentAlerts alerts;
    private LiveExplainer explainer;
    private DetectorConfig config;

    private AnalystApi(final HttpServer server, final String token) {
        this.server = server;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Binds {@code address}:{@code port} (0: any free port) without serving yet, so the port can be advertised first; no token. */
    public static AnalystApi bind(final String address, final int port) {
        return bind(address, port, null);
    }

    /**
     * Binds {@code address}:{@code port} (0: any free port) without serving yet; {@code token}, when not null, is the bearer
     * token every request must carry.
     */
    public static AnalystApi bind(final String address, final int port, final String token) {
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the API token is empty");
        }
        try {
            return new AnalystApi(HttpServer.create(new InetSocketAddress(address, port), 0), token);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve the API on " + address + ":" + port + " (" + e.getMessage()
                    + "): pass --api-port with a free port, or --no-api", e);
        }
    }

    /**
     * Serves the API of {@code streams}. With several instances, each must advertise its API's address as
     * {@code application.server} (see {@link #advertise}).
     */
    public AnalystApi serve(final KafkaStreams streams, final DetectorConfig config, final Properties clientProperties) {
        this.config = config;
        final Object advertised = config.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.gatherer = new ViewGatherer(streams, advertised == null || advertised.toString().isBlank() ? null : HostInfo.buildFromEndpoint(advertised.toString()),
                token == null ? null : new String(token, StandardCharsets.UTF_8));
        this.alerts = new RecentAlerts(clientProperties, Topics.of(config.topics()));
        this.explainer = new LiveExplainer(streams, config, alerts);
        server.createContext("/api/", guarded(this::api));
        server.createContext("/internal/views", guarded(exchange -> respond(exchange, 200, gatherer.localAsJson())));
        server.createContext("/", guarded(exchange -> respond(exchange, 404, error("no such resource: " + exchange.getRequestURI().getPath()
                + " (the API is under /api/)"))));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            final Thread thread = new Thread(r, "analyst-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return this;
    }

    /** {@code config} advertising this API's bound address to the other instances, unless it sets {@code application.server} itself. */
    public DetectorConfig advertise(final DetectorConfig config) {
        return advertise(config, server.getAddress().getHostString());
    }

    /**
     * {@code config} advertising {@code host} and this API's port to the other instances, unless it sets
     * {@code application.server} itself: behind a wildcard address, the host at which the others reach this one.
     */
    public DetectorConfig advertise(final DetectorConfig config, final String host) {
        if (config.streamsProperties().containsKey(StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            return config;
        }
        return config.withStreamsOverrides(Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, host + ":" + port()));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/api/";
    }

    /**
     * {@code handler} behind the checks every request passes: the method (GET, HEAD), the token, the query's length; and any
     * failure answered as JSON (the JDK server would otherwise answer an uncaught exception with an empty response).
     */
    private HttpHandler guarded(final HttpHandler handler) {
        return exchange -> {
            try (exchange) {
                final String method = exchange.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    respond(exchange, 405, error("method " + method + " is not allowed: the API is read-only (GET)"));
                    return;
                }
                if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    respond(exchange, 401, error("missing or wrong bearer token: send 'Authorization: Bearer <token>'"));
                    return;
                }
                final String rawQuery = exchange.getRequestURI().getRawQuery();
                if (rawQuery != null && rawQuery.length() > MAX_QUERY_CHARS) {
                    respond(exchange, 400, error("the query is " + rawQuery.length() + " characters long, over " + MAX_QUERY_CHARS));
                    return;
                }
                handler.handle(exchange);
            } catch (final IOException | RuntimeException e) {
                respond(exchange, 500, error(e.toString()));
            }
        };
    }

    private boolean authorized(final String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    private void api(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        try {
            final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/api/alerts/recent")) {
                respond(exchange, 200, alerts.newest(intParam(query, "limit", 20)));
                return;
            }
            if (path.equals("/api/explain")) {
                try {
                    respond(exchange, 200, explainer.explain(query));
                } catch (final IllegalArgumentException e) {
                    respond(exchange, 400, error(e.getMessage()));
                }
                return;
            }
            final Answers answers = new Answers(gatherer.gather());
            final Object body = switch (path) {
                case "/api/lessons/top" -> answers.topLessons(program(answers, query), intParam(query, "limit", 10));
                case "/api/lessons/least" -> answers.leastLessons(program(answers, query), intParam(query, "limit", 10),
                        config.views().newLessonAge());
                case "/api/alumni/topics" -> answers.alumniTopics(program(answers, query), intParam(query, "limit", 10));
                case "/api/lessons/landing" -> answers.landingPages(program(answers, query), intParam(query, "limit", 10));
                case "/api/paths/broken" -> answers.brokenLinks(intParam(query, "limit", 20));
                case "/api/cohorts/overused" -> answers.overuse(criteria(query), intParam(query, "limit", 10));
                case "/api/students/inactive" -> answers.inactiveStudents(intParam(query, "limit", 100));
                case "/api/students" -> answers.students().stream().limit(intParam(query, "limit", 100)).toList();
                case "/api/accounts/mismatched" -> answers.roleMismatches();
                default -> cohortOveruse(answers, path, query);
            };
            if (body == null) {
                respond(exchange, 404, error("no such resource: " + path));
            } else {
                respond(exchange, 200, body);
            }
        } catch (final BadRequest e) {
            respond(exchange, 400, error(e.getMessage()));
        } catch (final InvalidStateStoreException e) {
            respond(exchange, 503, error("the views are not queryable now (" + e.getMessage() + "); retry shortly"));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, error("interrupted"));
        } catch (final IOException | RuntimeException e) {
            respond(exchange, 500, error(e.toString()));
        }
    }

    private static Object cohortOveruse(final Answers answers, final String path, final Map<String, String> query) {
        final String[] parts = path.split("/");
        if (parts.length != 5 || !parts[2].equals("cohorts") || !parts[4].equals("overused")) {
            return null;
        }
        final String name = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
        final Integer cohort = answers.cohortId(name);
        if (cohort == null) {
            return null;
        }
        return answers.overused(cohort, criteria(query), intParam(query, "limit", 10));
    }

    /** The over-use criteria of a query: {@code minRatio}, {@code maxP}, {@code minHits}, each defaulting to {@link OveruseCriteria#DEFAULT}. */
    private static OveruseCriteria criteria(final Map<String, String> query) {
        final OveruseCriteria d = OveruseCriteria.DEFAULT;
        try {
            return new OveruseCriteria(doubleParam(query, "minRatio", d.minRatio()), doubleParam(query, "maxP", d.maxPValue()),
                    intParam(query, "minHits", (int) d.minHits()));
        } catch (final IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** The {@code program} parameter: required, one of the school's programs or a program the views have lessons of. */
    private static int program(final Answers answers, final Map<String, String> query) {
        final int program = intParam(query, "program", null);
        if (!Program.isKnown(program) && !answers.programs().contains(program)) {
            throw new BadRequest("no program " + program + ": the programs are 1 to 4 (" + Program.name(1) + ", " + Program.name(2) + ", "
                    + Program.name(3) + ", " + Program.name(4) + ")" + (answers.programs().isEmpty() ? "" : "; with lessons: " + answers.programs()));
        }
        return program;
    }

    private static ObjectNode error(final String message) {
        return JsonSerde.MAPPER.createObjectNode().put("error", message);
    }

    private static Map<String, String> query(final String raw) {
        final Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (final String pair : raw.split("&")) {
            final int eq = pair.indexOf('=');
            try {
                final String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (final IllegalArgumentException e) {
                throw new BadRequest("the query is not URL-encoded (" + e.getMessage() + "): '" + pair + "'");
            }
        }
        return params;
    }

    private static int intParam(final Map<String, String> query, final String name, final Integer fallback) {
        final String value = query.get(name);
        if (value == null) {
            if (fallback == null) {
                throw new BadRequest("missing parameter '" + name + "'");
            }
            return fallback;
        }
        try {
            final int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new BadRequest("parameter '" + name + "' must be >= 0, not " + value);
            }
            if (name.equals("limit") && parsed > MAX_LIMIT) {
                throw new BadRequest("parameter 'limit' must be at most " + MAX_LIMIT + ", not " + value);
            }
            return parsed;
        } catch (final NumberFormatException e) {
            throw new BadRequest("parameter '" + name + "' must be a whole number, not '" + value + "'");
        }
    }

    private static double doubleParam(final Map<String, String> query, final String name, final double fallback) {
        final String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (final NumberFormatException e) {
            throw new BadRequest("parameter '" + name + "' must be a number, not '" + value + "'");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final Object body) throws IOException {
        final byte[] bytes = JsonSerde.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(final String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
