package io.curriculum.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connector configuration file of {@code connectors/}: exactly the JSON that is PUT to a Connect worker's REST API
 * ({@code {"name": ..., "config": {...}}}), values as strings, with config-provider references such as
 * {@code ${env:CDC_DB_PASSWORD}} left for the worker to resolve.
 */
public record ConnectorFile(Path path, String name, Map<String, String> config) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ConnectorFile {
        config = Map.copyOf(config);
    }

    /** Reads and checks a connector file; an unusable file is an {@link IllegalArgumentException} naming the file. */
    public static ConnectorFile read(final Path path) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(path));
        } catch (final NoSuchFileException e) {
            throw new IllegalArgumentException("connector file " + path + " does not exist");
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("connector file " + path + " is not JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read connector file " + path + ": " + e.getMessage());
        }
        final JsonNode name = root == null ? null : root.get("name");
        final JsonNode config = root == null ? null : root.get("config");
        if (name == null || !name.isTextual() || name.asText().isBlank() || config == null || !config.isObject()) {
            throw new IllegalArgumentException("connector file " + path
                    + " must be a JSON object {\"name\": \"...\", \"config\": {...}}, as PUT to Connect's REST API");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        config.fields().forEachRemaining(field -> {
            if (field.getValue().isContainerNode() || field.getValue().isNull()) {
                throw new IllegalArgumentException("connector file " + path + ": config." + field.getKey() + " must be a string");
            }
            values.put(field.getKey(), field.getValue().asText());
        });
        if (!values.containsKey("connector.class")) {
            throw new IllegalArgumentException("connector file " + path + ": config.connector.class is missing");
        }
        return new ConnectorFile(path, name.asText(), values);
    }

    /** The config object as JSON, the body of {@code PUT /connectors/<name>/config}. */
    public String configJson() {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
