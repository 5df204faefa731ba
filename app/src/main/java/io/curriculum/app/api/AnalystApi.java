package io.curriculum.app.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.detector.views.Answers;
import io.curriculum.detector.views.OveruseCriteria;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
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
 *   <li>{@code /internal/views}: this instance's own view entries, for the others.</li>
 * </ul>
 * Errors: 400 for a bad parameter, 404 for an unknown cohort or path, 503 while the stores are not queryable (rebalancing).
 */
public final class AnalystApi implements AutoCloseable {

    private final HttpServer server;
    private ViewGatherer gatherer;
    private RecentAlerts alerts;
    private DetectorConfig config;

    private AnalystApi(final HttpServer server) {
        this.server = server;
    }

    /** Binds {@code address}:{@code port} (0: any free port) without serving yet, so the port can be advertised first. */
    public static AnalystApi bind(final String address, final int port) {
        try {
            return new AnalystApi(HttpServer.create(new InetSocketAddress(address, port), 0));
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
        this.gatherer = new ViewGatherer(streams, advertised == null || advertised.toString().isBlank() ? null : HostInfo.buildFromEndpoint(advertised.toString()));
        this.alerts = new RecentAlerts(clientProperties, List.of(config.topics().suspiciousIp(), config.topics().lessonBand(),
                config.topics().inactiveStudent()));
        server.createContext("/api/", this::api);
        server.createContext("/internal/views", exchange -> respond(exchange, 200, gatherer.localAsJson()));
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

    private void api(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        try {
            if (path.equals("/api/alerts/recent")) {
                respond(exchange, 200, alerts.newest(intParam(query, "limit", 20)));
                return;
            }
            final Answers answers = new Answers(gatherer.gather());
            final Object body = switch (path) {
                case "/api/lessons/top" -> answers.topLessons(intParam(query, "program", null), intParam(query, "limit", 10));
                case "/api/lessons/least" -> answers.leastLessons(intParam(query, "program", null), intParam(query, "limit", 10),
                        config.views().newLessonAge());
                case "/api/alumni/topics" -> answers.alumniTopics(intParam(query, "program", null), intParam(query, "limit", 10));
                case "/api/lessons/landing" -> answers.landingPages(intParam(query, "program", null), intParam(query, "limit", 10));
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
            final String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
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
