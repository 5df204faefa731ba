package io.curriculum.detector.serde;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.model.AlertRecord;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON of any {@link AlertRecord}, for where the three kinds come mixed (an alerts file written by {@code replay --alerts-out},
 * the API's recent alerts): written exactly as the alert topics' {@link JsonSerde} writes its record, read back into the
 * record its {@code rule} names. Nulls pass through; bytes that are no alert fail with a {@link SerializationException}.
 */
public final class AlertSerde implements Serde<AlertRecord> {

    /** The alert one JSON document holds (a line of an alerts file). */
    public static AlertRecord parse(final String json) {
        try {
            return of(JsonSerde.MAPPER.readTree(json));
        } catch (final IOException e) {
            throw new SerializationException("not an alert: " + e.getMessage(), e);
        }
    }

    /** The alert a JSON tree holds. */
    public static AlertRecord of(final JsonNode json) {
        try {
            return JsonSerde.MAPPER.treeToValue(json, AlertRecord.typeOf(json.path("rule").asText(null)));
        } catch (final IOException | IllegalArgumentException e) {
            throw new SerializationException("not an alert: " + e.getMessage(), e);
        }
    }

    /** The alert as one line of JSON, the bytes its topic holds. */
    public static String text(final AlertRecord alert) {
        try {
            return JsonSerde.MAPPER.writeValueAsString(alert);
        } catch (final IOException e) {
            throw new SerializationException("cannot write alert " + alert.alertId() + " as JSON", e);
        }
    }

    @Override
    public Serializer<AlertRecord> serializer() {
        return (topic, alert) -> {
            if (alert == null) {
                return null;
            }
            try {
                return JsonSerde.MAPPER.writeValueAsBytes(alert);
            } catch (final IOException e) {
                throw new SerializationException("cannot write alert " + alert.alertId() + " as JSON for topic " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<AlertRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return of(JsonSerde.MAPPER.readTree(bytes));
            } catch (final IOException e) {
                throw new SerializationException("topic " + topic + " holds a value that is not an alert: " + e.getMessage(), e);
            }
        };
    }
}
