package io.curriculum.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.serde.JsonSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the API, with timeouts: {@link #get} a JSON answer (fails on any status but 200), or {@link #send} any request. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** A status, its content type and its body. */
    public record Response(int status, String contentType, String body) {
        public JsonNode json() throws IOException {
            return JsonSerde.MAPPER.readTree(body);
        }
    }

    public static JsonNode get(final String url) throws IOException, InterruptedException {
        return get(url, null);
    }

    /** GET with {@code token} as the bearer token (none when null); fails on any status but 200. */
    public static JsonNode get(final String url, final String token) throws IOException, InterruptedException {
        final Response response = send("GET", url, token);
        if (response.status() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** A request of {@code method} with an empty body and {@code token} as the bearer token (none when null). */
    public static Response send(final String method, final String url, final String token) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }
}
