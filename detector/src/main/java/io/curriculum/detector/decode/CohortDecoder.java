package io.curriculum.detector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.config.TimePrecisionMode;
import io.curriculum.detector.model.Cohort;
import java.time.LocalDate;

/**
 * Decodes a change event of {@code curriculum_logs.cohorts}. Creates, snapshot reads and updates yield the
 * new row; a delete ({@code op d} or {@code __deleted=true}) and a tombstone yield a deletion, whose id a
 * tombstone takes from the record key ({@code {"id":28}}, with or without schema). A row whose
 * {@code deleted_at} is set stays known, marked {@code softDeleted}.
 */
public final class CohortDecoder {

    private final DebeziumJson json;

    public CohortDecoder(final TimePrecisionMode mode) {
        this.json = new DebeziumJson(mode);
    }

    public CohortChange decode(final byte[] key, final byte[] value) {
        final ChangeEvent event = value == null ? null : json.unwrap(value);
        if (event == null) {
            return new CohortChange(idFromKey(key), null);
        }
        final int id = DebeziumJson.integer(DebeziumJson.required(event, "id"), "id");
        if (event.op() == ChangeEvent.Op.DELETE) {
            return new CohortChange(id, null);
        }
        final String name = DebeziumJson.text(DebeziumJson.required(event, "name"), "name");
        final JsonNode slack = event.row().get("slack");
        final LocalDate start = json.date(event, "start_date");
        final LocalDate end = json.date(event, "end_date");
        final JsonNode deletedAt = event.row().get("deleted_at");
        final int program = DebeziumJson.integer(DebeziumJson.required(event, "program_id"), "program_id");
        final boolean softDeleted = deletedAt != null && !deletedAt.isNull();
        return new CohortChange(id, new Cohort(id, name, slack == null || slack.isNull() ? null : slack.asText(),
                start, end, softDeleted, program));
    }

    private static int idFromKey(final byte[] key) {
        if (key == null) {
            throw new InvalidRecordException(RejectReason.INVALID_KEY, "tombstone without a key: no cohort to delete");
        }
        JsonNode node;
        try {
            node = DebeziumJson.parse(key);
        } catch (final InvalidRecordException e) {
            throw new InvalidRecordException(RejectReason.INVALID_KEY, "tombstone key is not JSON: " + e.getMessage());
        }
        if (node.isObject() && node.has("payload")) {
            node = node.get("payload");
        }
        if (node.isObject()) {
            node = node.get("id");
        }
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new InvalidRecordException(RejectReason.INVALID_KEY, "tombstone key has no integer id: " + DebeziumJson.utf8(key));
        }
        return node.intValue();
    }
}
