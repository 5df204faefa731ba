package io.curriculum.detector.decode;

import static io.curriculum.detector.decode.DecodeAssertions.rejection;
import static io.curriculum.detector.decode.DecodeAssertions.utf8;
import static io.curriculum.detector.testing.ChangeEvents.bytes;
import static io.curriculum.detector.testing.ChangeEvents.cohortRow;
import static io.curriculum.detector.testing.ChangeEvents.envelope;
import static io.curriculum.detector.testing.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.config.TimePrecisionMode;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.testing.ChangeEvents;
import io.curriculum.detector.testing.ChangeEvents.Mode;
import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CohortDecoderTest {

    private static final LocalDate START = LocalDate.of(2019, 1, 22);
    private static final LocalDate END = LocalDate.of(2019, 6, 4);
    /** DATE columns as days since the epoch (adaptive and connect modes). */
    private static final int EPOCH_DAY_2019_01_22 = 17_918;
    private static final int EPOCH_DAY_2019_06_04 = 18_051;

    private static final Cohort ZION = new Cohort(29, "Zion", "#zion", START, END, false, 2);

    private static CohortDecoder decoder(final TimePrecisionMode mode) {
        return new CohortDecoder(mode);
    }

    private static CohortDecoder adaptive() {
        return decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS);
    }

    private static ObjectNode zion(final Mode mode) {
        return cohortRow(29, "Zion", "2019-01-22", "2019-06-04", 2, mode);
    }

    private static ObjectNode zion() {
        return zion(Mode.ADAPTIVE);
    }

    /** The schema JsonConverter embeds for a flattened cohorts row: DATE columns as io.debezium.time.Date. */
    private static ObjectNode withFlatCohortSchema(final ObjectNode row) {
        final ObjectNode schema = ChangeEvents.JSON.createObjectNode();
        schema.put("type", "struct");
        final ArrayNode fields = schema.putArray("fields");
        fields.addObject().put("type", "int32").put("optional", false).put("field", "id");
        fields.addObject().put("type", "string").put("optional", false).put("field", "name");
        fields.addObject().put("type", "string").put("optional", true).put("field", "slack");
        fields.addObject().put("type", "int32").put("optional", false).put("name", "io.debezium.time.Date").put("field", "start_date");
        fields.addObject().put("type", "int32").put("optional", false).put("name", "io.debezium.time.Date").put("field", "end_date");
        fields.addObject().put("type", "int64").put("optional", true).put("name", "io.debezium.time.Timestamp").put("field", "created_at");
        fields.addObject().put("type", "int64").put("optional", true).put("name", "io.debezium.time.Timestamp").put("field", "updated_at");
        fields.addObject().put("type", "int64").put("optional", true).put("name", "io.debezium.time.Timestamp").put("field", "deleted_at");
        fields.addObject().put("type", "int32").put("optional", false).put("field", "program_id");
        schema.put("optional", false);
        schema.put("name", "curriculum.curriculum_logs.cohorts.Value");
        final ObjectNode wrapped = ChangeEvents.JSON.createObjectNode();
        wrapped.set("schema", schema);
        wrapped.set("payload", row);
        return wrapped;
    }

    private static final String KEY_SCHEMA = "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"}],"
            + "\"optional\":false,\"name\":\"curriculum.curriculum_logs.cohorts.Key\"}";

    @Nested
    class UpsertedRows {

        @ParameterizedTest(name = "op {0}")
        @ValueSource(strings = {"r", "c"})
        void shouldDecodeSnapshotReadAndCreateIntoCohortChangeWithTheNewRow(final String op) {
            // given
            final byte[] value = bytes(envelope(op, null, zion()));

            // when
            final CohortChange change = adaptive().decode(key(29), value);

            // then
            assertThat(change.id()).isEqualTo(29);
            final Cohort cohort = change.cohort();
            assertThat(cohort).isNotNull();
            assertThat(cohort.id()).isEqualTo(29);
            assertThat(cohort.name()).isEqualTo("Zion");
            assertThat(cohort.slack()).isEqualTo("#zion");
            assertThat(cohort.startDate()).isEqualTo(START);
            assertThat(cohort.endDate()).isEqualTo(END);
            assertThat(cohort.programId()).isEqualTo(2);
            assertThat(cohort.softDeleted()).isFalse();
            assertThat(change).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeUpdateIntoCohortChangeWithTheAfterRow() {
            // given
            final ObjectNode before = zion();
            final ObjectNode after = zion().put("name", "Zion II").put("slack", "#zion-ii").put("program_id", 3);
            final byte[] value = bytes(envelope("u", before, after));

            // when
            final CohortChange change = adaptive().decode(key(29), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(29, new Cohort(29, "Zion II", "#zion-ii", START, END, false, 3)));
        }

        @Test
        void shouldDecodeFlattenedRowWithoutOpIntoCohortChange() {
            // given
            final byte[] value = bytes(zion());

            // when
            final CohortChange change = adaptive().decode(key(29), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeFlattenedUpdateRowIntoCohortChange() {
            // given
            final byte[] value = bytes(zion().put("__op", "u").put("__deleted", "false"));

            // when
            final CohortChange change = adaptive().decode(key(29), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeDatesInAdaptiveModeAsEpochDays() {
            // given
            final ObjectNode row = zion().put("start_date", EPOCH_DAY_2019_01_22).put("end_date", EPOCH_DAY_2019_06_04);

            // when
            final CohortChange change = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(key(29), bytes(envelope("r", null, row)));

            // then
            assertThat(change.cohort().startDate()).isEqualTo(START);
            assertThat(change.cohort().endDate()).isEqualTo(END);
        }

        @Test
        void shouldDecodeDatesInConnectModeAsEpochDays() {
            // given
            final ObjectNode row = zion(Mode.CONNECT).put("start_date", EPOCH_DAY_2019_01_22).put("end_date", EPOCH_DAY_2019_06_04);

            // when
            final CohortChange change = decoder(TimePrecisionMode.CONNECT).decode(key(29), bytes(envelope("r", null, row)));

            // then
            assertThat(change.cohort().startDate()).isEqualTo(START);
            assertThat(change.cohort().endDate()).isEqualTo(END);
            assertThat(change).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeDatesInIsostringModeFromIsoStrings() {
            // given
            final ObjectNode row = zion(Mode.ISOSTRING).put("start_date", "2019-01-22Z").put("end_date", "2019-06-04Z");

            // when
            final CohortChange change = decoder(TimePrecisionMode.ISOSTRING).decode(key(29), bytes(envelope("r", null, row)));

            // then
            assertThat(change.cohort().startDate()).isEqualTo(START);
            assertThat(change.cohort().endDate()).isEqualTo(END);
            assertThat(change).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeFixtureRowsOfEveryModeToTheSameCohort() {
            // given
            final byte[] adaptive = bytes(envelope("r", null, zion(Mode.ADAPTIVE)));
            final byte[] connect = bytes(envelope("r", null, zion(Mode.CONNECT)));
            final byte[] isostring = bytes(envelope("r", null, zion(Mode.ISOSTRING)));

            // when / then
            assertThat(decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(key(29), adaptive)).isEqualTo(new CohortChange(29, ZION));
            assertThat(decoder(TimePrecisionMode.CONNECT).decode(key(29), connect)).isEqualTo(new CohortChange(29, ZION));
            assertThat(decoder(TimePrecisionMode.ISOSTRING).decode(key(29), isostring)).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeFlattenedRowWithEmbeddedSchema() {
            // given
            final byte[] value = bytes(withFlatCohortSchema(zion()));

            // when
            final CohortChange change = decoder(TimePrecisionMode.CONNECT).decode(utf8("{\"schema\":" + KEY_SCHEMA + ",\"payload\":{\"id\":29}}"), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(29, ZION));
        }

        @Test
        void shouldDecodeNullSlackAsNull() {
            // given
            final ObjectNode row = zion();
            row.putNull("slack");

            // when
            final CohortChange change = adaptive().decode(key(29), bytes(envelope("c", null, row)));

            // then
            assertThat(change.cohort().slack()).isNull();
            assertThat(change.cohort().name()).isEqualTo("Zion");
        }

        @Test
        void shouldDecodeProgramIdWrittenAsWholeDecimal() {
            // given
            final ObjectNode row = zion().put("program_id", 2.0);

            // when
            final CohortChange change = adaptive().decode(key(29), bytes(envelope("c", null, row)));

            // then
            assertThat(change.cohort().programId()).isEqualTo(2);
        }

        @Test
        void shouldReportStaffCohortAsStaff() {
            // given
            final ObjectNode row = cohortRow(28, "Staff", "2014-02-04", "2014-02-04", 2, Mode.ADAPTIVE);

            // when
            final CohortChange change = adaptive().decode(key(28), bytes(envelope("r", null, row)));

            // then
            assertThat(change.cohort().name()).isEqualTo("Staff");
            assertThat(change.cohort().isStaff()).isTrue();
        }

        @Test
        void shouldNotReportStudentCohortAsStaff() {
            // given
            final byte[] value = bytes(envelope("r", null, zion()));

            // when
            final CohortChange change = adaptive().decode(key(29), value);

            // then
            assertThat(change.cohort().isStaff()).isFalse();
        }
    }

    @Nested
    class SoftDeletes {

        @Test
        void shouldMarkCohortWithEpochMillisDeletedAtAsSoftDeleted() {
            // given
            final ObjectNode row = zion().put("deleted_at", 1_600_000_000_000L);

            // when
            final CohortChange change = adaptive().decode(key(29), bytes(envelope("u", zion(), row)));

            // then
            assertThat(change).isEqualTo(new CohortChange(29, new Cohort(29, "Zion", "#zion", START, END, true, 2)));
        }

        @Test
        void shouldMarkCohortWithIsoDeletedAtAsSoftDeleted() {
            // given
            final ObjectNode row = zion(Mode.ISOSTRING).put("deleted_at", "2020-09-13T12:26:40Z");

            // when
            final CohortChange change = decoder(TimePrecisionMode.ISOSTRING).decode(key(29), bytes(envelope("u", zion(Mode.ISOSTRING), row)));

            // then
            assertThat(change.cohort()).isNotNull();
            assertThat(change.cohort().softDeleted()).isTrue();
            assertThat(change.cohort().name()).isEqualTo("Zion");
        }

        @Test
        void shouldKeepCohortWithNullDeletedAtNotSoftDeleted() {
            // given
            final ObjectNode row = zion();
            row.putNull("deleted_at");

            // when
            final CohortChange change = adaptive().decode(key(29), bytes(row));

            // then
            assertThat(change.cohort().softDeleted()).isFalse();
        }
    }

    @Nested
    class Deletions {

        @Test
        void shouldDecodeDeleteEnvelopeIntoDeletionWithIdFromBefore() {
            // given: the key says 99 so that only the before row can supply 28
            final ObjectNode before = cohortRow(28, "Staff", "2014-02-04", "2014-02-04", 2, Mode.ADAPTIVE);
            final byte[] value = bytes(envelope("d", before, null));

            // when
            final CohortChange change = adaptive().decode(key(99), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(28, null));
        }

        @Test
        void shouldDecodeFlattenedRowMarkedDeletedIntoDeletion() {
            // given
            final byte[] value = bytes(zion().put("__op", "d").put("__deleted", "true"));

            // when
            final CohortChange change = adaptive().decode(key(29), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(29, null));
        }

        @Test
        void shouldDecodeTombstoneWithPlainKeyIntoDeletionOfKeyId() {
            // given
            final byte[] key = utf8("{\"id\":28}");

            // when
            final CohortChange change = adaptive().decode(key, null);

            // then
            assertThat(change).isEqualTo(new CohortChange(28, null));
        }

        @Test
        void shouldDecodeTombstoneWithSchemaWrappedKeyIntoDeletionOfKeyId() {
            // given
            final byte[] key = utf8("{\"schema\":" + KEY_SCHEMA + ",\"payload\":{\"id\":28}}");

            // when
            final CohortChange change = adaptive().decode(key, null);

            // then
            assertThat(change).isEqualTo(new CohortChange(28, null));
        }

        @Test
        void shouldDecodeSchemaWrappedNullPayloadLikeATombstoneWithIdFromKey() {
            // given
            final byte[] value = utf8("{\"schema\":{\"type\":\"struct\",\"optional\":true},\"payload\":null}");

            // when
            final CohortChange change = adaptive().decode(key(28), value);

            // then
            assertThat(change).isEqualTo(new CohortChange(28, null));
        }

        @Test
        void shouldRejectTombstoneWithNullKeyAsInvalidKey() {
            // given
            final byte[] key = null;

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key, null));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_KEY);
            assertThat(e).hasMessageContaining("key");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{}", "{\"name\":\"Staff\"}", "{\"id\":null}", "{\"id\":\"28\"}", "{\"payload\":{}}", "[28]"})
        void shouldRejectTombstoneWithKeyWithoutIntegerIdAsInvalidKey(final String key) {
            // given
            final byte[] keyBytes = utf8(key);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(keyBytes, null));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_KEY);
            assertThat(e).hasMessageContaining("key").hasMessageContaining("id");
        }

        @Test
        void shouldRejectTombstoneWithSchemaWrappedKeyWithoutIdAsInvalidKey() {
            // given
            final byte[] key = utf8("{\"schema\":" + KEY_SCHEMA + ",\"payload\":{}}");

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key, null));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_KEY);
            assertThat(e).hasMessageContaining("id");
        }

        @Test
        void shouldRejectTombstoneWhoseKeyIsNotJsonAsInvalidKey() {
            // given
            final byte[] key = utf8("cohort-28");

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key, null));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_KEY);
            assertThat(e).hasMessageContaining("key");
        }

        @Test
        void shouldRejectTombstoneKeyIdBeyondIntRangeInsteadOfTruncatingIt() {
            // given: 2^32 + 28 truncated to an int is 28
            final byte[] key = utf8("{\"id\":4294967324}");

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key, null));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_KEY);
            assertThat(e).hasMessageContaining("id");
        }
    }

    @Nested
    class Rejections {

        @ParameterizedTest(name = "without {0}")
        @ValueSource(strings = {"id", "name", "program_id", "start_date", "end_date"})
        void shouldRejectRowWithoutRequiredFieldAsMissingField(final String field) {
            // given
            final ObjectNode row = zion();
            row.remove(field);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), bytes(envelope("c", null, row))));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
            assertThat(e).hasMessageContaining("'" + field + "'");
        }

        @ParameterizedTest(name = "{0} null")
        @ValueSource(strings = {"name", "program_id"})
        void shouldRejectRowWithNullRequiredFieldAsMissingField(final String field) {
            // given
            final ObjectNode row = zion();
            row.putNull(field);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), bytes(row)));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
            assertThat(e).hasMessageContaining("'" + field + "'");
        }

        @Test
        void shouldRejectNumericNameAsInvalidField() {
            // given
            final ObjectNode row = zion().put("name", 29);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), bytes(row)));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'name'");
        }

        @Test
        void shouldRejectStringProgramIdAsInvalidField() {
            // given
            final ObjectNode row = zion().put("program_id", "two");

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), bytes(row)));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'program_id'");
        }

        @Test
        void shouldRejectUnparseableStartDateAsInvalidDate() {
            // given
            final ObjectNode row = zion(Mode.ISOSTRING).put("start_date", "2019-13-45Z");

            // when
            final InvalidRecordException e = rejection(() -> decoder(TimePrecisionMode.ISOSTRING).decode(key(29), bytes(row)));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'start_date'");
        }

        @Test
        void shouldRejectDeleteEnvelopeWithoutBeforeAsMissingField() {
            // given
            final byte[] value = bytes(envelope("d", null, null));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
            assertThat(e).hasMessageContaining("'before'");
        }

        @ParameterizedTest(name = "op {0}")
        @ValueSource(strings = {"t", "x"})
        void shouldRejectEnvelopeWithUnknownOpAsUnknownOp(final String op) {
            // given
            final byte[] value = bytes(envelope(op, null, zion()));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_OP);
            assertThat(e).hasMessageContaining("'" + op + "'");
        }

        @Test
        void shouldRejectNonJsonValueAsNotJson() {
            // given
            final byte[] value = utf8("{not json");

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(e).hasMessageContaining("JSON");
        }

        @Test
        void shouldRejectCohortIdBeyondIntRangeInsteadOfTruncatingIt() {
            // given: 2^32 + 28 truncated to an int is 28, which would overwrite the Staff cohort
            final ObjectNode row = zion().put("id", 4_294_967_324L);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(key(29), bytes(envelope("c", null, row))));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'id'");
        }
    }
}
