package io.curriculum.detector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A Debezium change event reduced to what the decoders need: the operation and the row it concerns
 * (the {@code after} image, or {@code before} for a delete), plus the logical type name of each column
 * when the JSON embeds its schema ({@code io.debezium.time.MicroTime}, ...), else an empty map.
 */
record ChangeEvent(Op op, JsonNode row, Map<String, String> logicalTypes) {

    enum Op { CREATE, READ, UPDATE, DELETE, UPSERT }
}
