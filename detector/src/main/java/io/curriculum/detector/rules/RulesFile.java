package io.curriculum.detector.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.serde.JsonSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file of rule records, one per rule id: {@code {"machine-speed": {"version": 2, "settings": {...}}, "allowlist": {...}}},
 * each value the record {@code rules publish} writes under that key ({@link RuleRecord}). Read whole and validated against a
 * configuration before anything is published; an error says on which line of the file, and which key.
 */
public final class RulesFile {

    /** A rules file that cannot be used; the message names the file, the line and the key. */
    public static final class InvalidRulesFileException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidRulesFileException(final String message) {
            super(message);
        }
    }

    private final Map<RuleId, RuleRecord> records;
    private final Map<RuleId, JsonNode> json;

    private RulesFile(final Map<RuleId, RuleRecord> records, final Map<RuleId, JsonNode> json) {
        this.records = records;
        this.json = json;
    }

    /** The records of the file, in its order. */
    public Map<RuleId, RuleRecord> records() {
        return records;
    }

    /** A record as the file writes it: what {@code rules publish} puts on the rules topic. */
    public JsonNode json(final RuleId rule) {
        return json.get(rule);
    }

    /** The rules of {@code config} with every record of this file in force. */
    public RuleSet applyTo(final DetectorConfig config) throws InvalidRuleException {
        RuleSet rules = RuleSet.defaults(config);
        for (final RuleRecord record : records.values()) {
            rules = rules.with(record);
        }
        return rules;
    }

    /** Reads and validates a rules file against {@code config}. */
    public static RulesFile read(final Path file, final DetectorConfig config) throws IOException, InvalidRulesFileException {
        return parse(Files.readString(file), file.toString(), config);
    }

    /** Parses and validates the text of a rules file called {@code name} in messages. */
    public static RulesFile parse(final String text, final String name, final DetectorConfig config) throws InvalidRulesFileException {
        final JsonNode json;
        try {
            json = JsonSerde.MAPPER.readTree(text);
        } catch (final JsonProcessingException e) {
            final JsonLocation at = e.getLocation();
            throw new InvalidRulesFileException(name + (at == null ? "" : " line " + at.getLineNr()) + ": not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject() || json.isEmpty()) {
            throw new InvalidRulesFileException(name + ": expected a JSON object of rule records by rule id (" + RuleId.known()
                    + "), e.g. {\"machine-speed\": {\"version\": 2, \"settings\": {\"detector.burst.min-distinct-pages\": 25}}}");
        }
        final Map<String, Integer> lines = lines(text);
        final Map<RuleId, RuleRecord> records = new LinkedHashMap<>();
        final Map<RuleId, JsonNode> originals = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final RuleId rule = RuleId.of(field.getKey());
            if (rule == null) {
                throw new InvalidRulesFileException(name + " line " + lines.getOrDefault(field.getKey(), 1) + ": unknown rule id '"
                        + field.getKey() + "' (known: " + RuleId.known() + ")");
            }
            try {
                final RuleRecord record = RuleRecord.parse(rule, field.getValue());
                RuleSet.defaults(config).with(record);
                records.put(rule, record);
                originals.put(rule, field.getValue());
            } catch (final InvalidRuleException e) {
                throw new InvalidRulesFileException(name + " line " + line(lines, rule.id(), e.path()) + ": " + rule.id() + ": " + e.getMessage());
            }
        }
        return new RulesFile(records, originals);
    }

    /** The line of the deepest field of {@code path} under the rule that the file names. */
    private static int line(final Map<String, Integer> lines, final String rule, final List<String> path) {
        final List<String> full = new ArrayList<>();
        full.add(rule);
        full.addAll(path);
        while (!full.isEmpty()) {
            final Integer line = lines.get(String.join("\u0000", full));
            if (line != null) {
                return line;
            }
            full.remove(full.size() - 1);
        }
        return 1;
    }

    /** The line of every field name of the file, by its path (names joined by NUL). */
    private static Map<String, Integer> lines(final String text) {
        final Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = JsonSerde.MAPPER.getFactory().createParser(text)) {
            final Deque<String> path = new ArrayDeque<>();
            final Deque<Boolean> objects = new ArrayDeque<>();
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> objects.push(token == JsonToken.START_OBJECT);
                    case END_OBJECT, END_ARRAY -> {
                        objects.pop();
                        if (!path.isEmpty() && path.size() > objects.size()) {
                            path.removeLast();
                        }
                    }
                    case FIELD_NAME -> {
                        while (path.size() >= objects.size()) {
                            path.removeLast();
                        }
                        path.addLast(parser.currentName());
                        lines.put(String.join("\u0000", path), parser.currentTokenLocation().getLineNr());
                    }
                    default -> {
                    }
                }
            }
        } catch (final IOException e) {
            // parsed once already: a failure here leaves the lines unknown
        }
        return lines;
    }
}
