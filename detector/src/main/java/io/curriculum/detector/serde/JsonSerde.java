package io.curriculum.detector.serde;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for any record type: instants and durations as ISO-8601 strings, nulls passed through (tombstones),
 * and {@link SerializationException} on bytes that are not the expected JSON.
 */
public final class JsonSerde<T> implements Serde<T> {

    /** The one mapper, configured for records and java.time. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Class<T> type;
    /** Values decoded so far, by their bytes; null when this serde does not remember. */
    private final Map<ByteBuffer, T> decoded;
    private final int capacity;

    public JsonSerde(final Class<T> type) {
        this(type, 0);
    }

    private JsonSerde(final Class<T> type, final int capacity) {
        this.type = type;
        this.capacity = capacity;
        this.decoded = capacity > 0 ? new ConcurrentHashMap<>() : null;
    }

    /**
     * A serde of an immutable type whose deserializer remembers up to {@code capacity} values by their bytes: a table read
     * for every record (the cohort table behind each access's join) parses each distinct value once, not once per read.
     */
    public static <T> JsonSerde<T> remembering(final Class<T> type, final int capacity) {
        return new JsonSerde<>(type, capacity);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (final IOException e) {
                throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON for topic " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (decoded != null) {
                final T known = decoded.get(ByteBuffer.wrap(bytes));
                if (known != null) {
                    return known;
                }
            }
            try {
                final T value = MAPPER.readValue(bytes, type);
                if (decoded != null && value != null) {
                    if (decoded.size() >= capacity) {
                        decoded.clear();
                    }
                    decoded.put(ByteBuffer.wrap(bytes.clone()), value);
                }
                return value;
            } catch (final IOException e) {
                throw new SerializationException("topic " + topic + " holds a value that is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        };
    }
}
