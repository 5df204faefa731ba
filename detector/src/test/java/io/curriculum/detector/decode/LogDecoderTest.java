package io.curriculum.detector.decode;

import static io.curriculum.detector.decode.DecodeAssertions.rejection;
import static io.curriculum.detector.decode.DecodeAssertions.utf8;
import static io.curriculum.detector.testing.ChangeEvents.bytes;
import static io.curriculum.detector.testing.ChangeEvents.created;
import static io.curriculum.detector.testing.ChangeEvents.envelope;
import static io.curriculum.detector.testing.ChangeEvents.logRow;
import static io.curriculum.detector.testing.ChangeEvents.withLogSchema;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.config.TimePrecisionMode;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.testing.ChangeEvents;
import io.curriculum.detector.testing.ChangeEvents.Mode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogDecoderTest {

    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final int MAX_PATH = 100;

    /** 2019-03-03 22:52:05 in Chicago (CST, UTC-6) is 2019-03-04T04:52:05Z. */
    private static final String LOCAL = "2019-03-03 22:52:05";
    private static final Access EXPECTED = new Access(1001L, LocalDateTime.of(2019, 3, 3, 22, 52, 5),
            Instant.parse("2019-03-04T04:52:05Z"), "java-iii/servlets", 341L, 29, "204.44.112.76");

    /** 2018-01-26 09:55:03 in Chicago (CST) is 2018-01-26T15:55:03Z; DATE 2018-01-26 is epoch day 17557. */
    private static final long EPOCH_DAY_2018_01_26 = 17_557L;
    private static final long MICROS_09_55_03 = 35_703_000_000L;
    private static final long MILLIS_09_55_03 = 35_703_000L;
    private static final LocalDateTime LOCAL_09_55_03 = LocalDateTime.of(2018, 1, 26, 9, 55, 3);
    private static final Instant INSTANT_09_55_03 = Instant.parse("2018-01-26T15:55:03Z");

    private static LogDecoder decoder(final TimePrecisionMode mode) {
        return new LogDecoder(mode, CHICAGO, MAX_PATH);
    }

    private static LogDecoder adaptive() {
        return decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS);
    }

    private static ObjectNode row(final Mode mode) {
        return logRow(1001L, LOCAL, "java-iii/servlets", 341L, 29, "204.44.112.76", mode);
    }

    private static ObjectNode row() {
        return row(Mode.ADAPTIVE);
    }

    /** A row of 2018-01-26 09:55:03 whose date and time columns are then overwritten with literal values. */
    private static ObjectNode row0955(final Object date, final Object time) {
        final ObjectNode row = logRow(2002L, "2018-01-26 09:55:03", "jquery/ajax", 12L, 8, "97.105.19.61", Mode.ADAPTIVE);
        row.set("date", ChangeEvents.JSON.valueToTree(date));
        row.set("time", ChangeEvents.JSON.valueToTree(time));
        return row;
    }

    private static void assertAccessAt0955(final Access access) {
        assertThat(access).isNotNull();
        assertThat(access.id()).isEqualTo(2002L);
        assertThat(access.localTime()).isEqualTo(LOCAL_09_55_03);
        assertThat(access.time()).isEqualTo(INSTANT_09_55_03);
        assertThat(access.path()).isEqualTo("jquery/ajax");
        assertThat(access.userId()).isEqualTo(12L);
        assertThat(access.cohortId()).isEqualTo(8);
        assertThat(access.ip()).isEqualTo("97.105.19.61");
    }

    @Nested
    class FullEnvelope {

        @Test
        void shouldDecodeCreateEnvelopeIntoAccessWithEventTimeInCampusZone() {
            // given
            final byte[] value = bytes(envelope("c", null, row()));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNotNull();
            assertThat(access.id()).isEqualTo(1001L);
            assertThat(access.localTime()).isEqualTo(LocalDateTime.of(2019, 3, 3, 22, 52, 5));
            assertThat(access.time()).isEqualTo(Instant.parse("2019-03-04T04:52:05Z"));
            assertThat(access.path()).isEqualTo("java-iii/servlets");
            assertThat(access.userId()).isEqualTo(341L);
            assertThat(access.cohortId()).isEqualTo(29);
            assertThat(access.ip()).isEqualTo("204.44.112.76");
            assertThat(access).isEqualTo(EXPECTED);
        }

        @Test
        void shouldDecodeSnapshotReadEnvelopeToTheSameAccessAsCreate() {
            // given
            final byte[] create = bytes(envelope("c", null, row()));
            final byte[] snapshot = bytes(envelope("r", null, row()));

            // when
            final Access fromCreate = adaptive().decode(create);
            final Access fromSnapshot = adaptive().decode(snapshot);

            // then
            assertThat(fromSnapshot).isEqualTo(EXPECTED).isEqualTo(fromCreate);
        }

        @Test
        void shouldDecodeEventTimeInDaylightSavingTimeWithCdtOffset() {
            // given: 2019-07-04 12:00:00 in Chicago is CDT (UTC-5)
            final byte[] value = bytes(created(logRow(7L, "2019-07-04 12:00:00", "/", 1L, 1, "10.0.0.1", Mode.ADAPTIVE)));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.localTime()).isEqualTo(LocalDateTime.of(2019, 7, 4, 12, 0, 0));
            assertThat(access.time()).isEqualTo(Instant.parse("2019-07-04T17:00:00Z"));
        }

        @Test
        void shouldDecodeUpdateEnvelopeToNull() {
            // given
            final ObjectNode after = row().put("path", "java-iii/jsp");
            final byte[] value = bytes(envelope("u", row(), after));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeDeleteEnvelopeToNull() {
            // given
            final byte[] value = bytes(envelope("d", row(), null));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeTombstoneNullValueToNull() {
            // given
            final byte[] value = null;

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeSchemaWrappedNullPayloadToNull() {
            // given
            final byte[] value = utf8("{\"schema\":{\"type\":\"struct\",\"optional\":true,"
                    + "\"name\":\"curriculum.curriculum_logs.logs.Envelope\"},\"payload\":null}");

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeSchemaWrappedCreateEnvelopeToTheSameAccessAsSchemaless() {
            // given
            final byte[] value = bytes(withLogSchema(envelope("c", null, row()), Mode.ADAPTIVE, false));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isEqualTo(EXPECTED);
        }

        @Test
        void shouldDecodeSchemaWrappedDeleteEnvelopeToNull() {
            // given
            final byte[] value = bytes(withLogSchema(envelope("d", row(), null), Mode.ADAPTIVE, false));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }
    }

    @Nested
    class FlattenedRow {

        @Test
        void shouldDecodeFlattenedRowWithoutOpAsAccess() {
            // given
            final byte[] value = bytes(row());

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isEqualTo(EXPECTED);
        }

        @ParameterizedTest(name = "__op={0}")
        @ValueSource(strings = {"c", "r"})
        void shouldDecodeFlattenedRowWithCreateOrReadOpAsAccess(final String op) {
            // given
            final byte[] value = bytes(row().put("__op", op).put("__deleted", "false"));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isEqualTo(EXPECTED);
        }

        @Test
        void shouldDecodeFlattenedRowMarkedDeletedTrueStringToNull() {
            // given
            final byte[] value = bytes(row().put("__deleted", "true"));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeFlattenedRowMarkedDeletedTrueBooleanToNull() {
            // given
            final byte[] value = bytes(row().put("__deleted", true));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeFlattenedRowWithDeletedFalseAsAccess() {
            // given
            final byte[] value = bytes(row().put("__deleted", "false"));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isEqualTo(EXPECTED);
        }

        @Test
        void shouldDecodeFlattenedRowWithUpdateOpToNull() {
            // given
            final byte[] value = bytes(row().put("__op", "u").put("__deleted", "false"));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeFlattenedRowWithDeleteOpToNull() {
            // given
            final byte[] value = bytes(row().put("__op", "d").put("__deleted", "true"));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }

        @Test
        void shouldDecodeSchemaWrappedFlattenedRowMarkedDeletedToNull() {
            // given
            final byte[] value = bytes(withLogSchema(row().put("__deleted", "true"), Mode.ADAPTIVE, true));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access).isNull();
        }
    }

    @Nested
    class TimePrecisionModesWithoutSchema {

        @Test
        void shouldDecodeEnvelopeWithoutSchemaInAdaptiveModeReadingTimeAsMicroseconds() {
            // given
            final byte[] value = bytes(created(row0955(EPOCH_DAY_2018_01_26, MICROS_09_55_03)));

            // when
            final Access access = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeEnvelopeWithoutSchemaInConnectModeReadingTimeAsMilliseconds() {
            // given
            final byte[] value = bytes(created(row0955(EPOCH_DAY_2018_01_26, MILLIS_09_55_03)));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeEnvelopeWithoutSchemaInIsostringModeReadingIsoDateAndTime() {
            // given
            final byte[] value = bytes(created(row0955("2018-01-26Z", "09:55:03Z")));

            // when
            final Access access = decoder(TimePrecisionMode.ISOSTRING).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeFlattenedRowWithoutSchemaInAdaptiveModeReadingTimeAsMicroseconds() {
            // given
            final byte[] value = bytes(row0955(EPOCH_DAY_2018_01_26, MICROS_09_55_03));

            // when
            final Access access = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeFlattenedRowWithoutSchemaInConnectModeReadingTimeAsMilliseconds() {
            // given
            final byte[] value = bytes(row0955(EPOCH_DAY_2018_01_26, MILLIS_09_55_03));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeFlattenedRowWithoutSchemaInIsostringModeReadingIsoDateAndTime() {
            // given
            final byte[] value = bytes(row0955("2018-01-26Z", "09:55:03Z"));

            // when
            final Access access = decoder(TimePrecisionMode.ISOSTRING).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeIsoTimeWithFractionAndOffsetSuffix() {
            // given
            final byte[] value = bytes(row0955("2018-01-26", "09:55:03.250+00:00"));

            // when
            final Access access = decoder(TimePrecisionMode.ISOSTRING).decode(value);

            // then
            assertThat(access.localTime()).isEqualTo(LOCAL_09_55_03.withNano(250_000_000));
            assertThat(access.time()).isEqualTo(INSTANT_09_55_03.plusMillis(250));
        }

        @Test
        void shouldReadSchemalessTimeAsMillisecondsWhenConfiguredModeIsConnect() {
            // given: 30,000,000 read as milliseconds is 08:20:00
            final byte[] value = bytes(row0955(EPOCH_DAY_2018_01_26, 30_000_000L));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertThat(access.localTime()).isEqualTo(LocalDateTime.of(2018, 1, 26, 8, 20, 0));
        }

        @Test
        void shouldReadSchemalessTimeAsMicrosecondsWhenConfiguredModeIsAdaptive() {
            // given: 30,000,000 read as microseconds is 00:00:30
            final byte[] value = bytes(row0955(EPOCH_DAY_2018_01_26, 30_000_000L));

            // when
            final Access access = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(value);

            // then
            assertThat(access.localTime()).isEqualTo(LocalDateTime.of(2018, 1, 26, 0, 0, 30));
        }
    }

    @Nested
    class TimePrecisionModesWithEmbeddedSchema {

        // The decoder is configured with a mode that would misread the numbers: the schema's logical types must win.

        @Test
        void shouldDecodeEnvelopeWithEmbeddedSchemaInAdaptiveModeUsingMicroTime() {
            // given
            final byte[] value = bytes(withLogSchema(created(row0955(EPOCH_DAY_2018_01_26, MICROS_09_55_03)), Mode.ADAPTIVE, false));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeEnvelopeWithEmbeddedSchemaInConnectModeUsingConnectTime() {
            // given
            final byte[] value = bytes(withLogSchema(created(row0955(EPOCH_DAY_2018_01_26, MILLIS_09_55_03)), Mode.CONNECT, false));

            // when
            final Access access = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeEnvelopeWithEmbeddedSchemaInIsostringModeUsingIsoTime() {
            // given
            final byte[] value = bytes(withLogSchema(created(row0955("2018-01-26Z", "09:55:03Z")), Mode.ISOSTRING, false));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeFlattenedRowWithEmbeddedSchemaInAdaptiveModeUsingMicroTime() {
            // given
            final byte[] value = bytes(withLogSchema(row0955(EPOCH_DAY_2018_01_26, MICROS_09_55_03), Mode.ADAPTIVE, true));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeFlattenedRowWithEmbeddedSchemaInConnectModeUsingConnectTime() {
            // given
            final byte[] value = bytes(withLogSchema(row0955(EPOCH_DAY_2018_01_26, MILLIS_09_55_03), Mode.CONNECT, true));

            // when
            final Access access = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeFlattenedRowWithEmbeddedSchemaInIsostringModeUsingIsoTime() {
            // given
            final byte[] value = bytes(withLogSchema(row0955("2018-01-26Z", "09:55:03Z"), Mode.ISOSTRING, true));

            // when
            final Access access = decoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS).decode(value);

            // then
            assertAccessAt0955(access);
        }

        @Test
        void shouldDecodeEarlyMorningMicroTimeEnvelopeAsMicrosecondsEvenWhenConfiguredModeIsConnect() {
            // given: 00:00:30 is 30,000,000 µs, below the 86,400,000 ms of a day, so a guess by magnitude would fail
            final ObjectNode row = logRow(3003L, "2019-03-03 00:00:30", "/", 5L, 29, "10.1.2.3", Mode.ADAPTIVE);
            assertThat(row.get("time").longValue()).isEqualTo(30_000_000L);
            final byte[] value = bytes(withLogSchema(created(row), Mode.ADAPTIVE, false));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertThat(access.localTime()).isEqualTo(LocalDateTime.of(2019, 3, 3, 0, 0, 30));
            assertThat(access.time()).isEqualTo(Instant.parse("2019-03-03T06:00:30Z"));
        }

        @Test
        void shouldDecodeEarlyMorningMicroTimeFlattenedRowAsMicrosecondsEvenWhenConfiguredModeIsConnect() {
            // given
            final ObjectNode row = logRow(3003L, "2019-03-03 00:00:30", "/", 5L, 29, "10.1.2.3", Mode.ADAPTIVE);
            final byte[] value = bytes(withLogSchema(row, Mode.ADAPTIVE, true));

            // when
            final Access access = decoder(TimePrecisionMode.CONNECT).decode(value);

            // then
            assertThat(access.localTime()).isEqualTo(LocalDateTime.of(2019, 3, 3, 0, 0, 30));
            assertThat(access.time()).isEqualTo(Instant.parse("2019-03-03T06:00:30Z"));
        }

        @Test
        void shouldDecodeEveryFixtureModeWithSchemaToTheSameAccess() {
            // given
            final byte[] adaptive = bytes(withLogSchema(created(row(Mode.ADAPTIVE)), Mode.ADAPTIVE, false));
            final byte[] connect = bytes(withLogSchema(created(row(Mode.CONNECT)), Mode.CONNECT, false));
            final byte[] isostring = bytes(withLogSchema(created(row(Mode.ISOSTRING)), Mode.ISOSTRING, false));
            final LogDecoder decoder = decoder(TimePrecisionMode.ISOSTRING);

            // when / then
            assertThat(decoder.decode(adaptive)).isEqualTo(EXPECTED);
            assertThat(decoder.decode(connect)).isEqualTo(EXPECTED);
            assertThat(decoder.decode(isostring)).isEqualTo(EXPECTED);
        }
    }

    @Nested
    class OptionalAndNumericColumns {

        @Test
        void shouldAcceptNullUserIdAndNullCohortId() {
            // given
            final byte[] value = bytes(created(logRow(1001L, LOCAL, "java-iii/servlets", null, null, "204.44.112.76", Mode.ADAPTIVE)));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.userId()).isNull();
            assertThat(access.cohortId()).isNull();
            assertThat(access.id()).isEqualTo(1001L);
            assertThat(access.path()).isEqualTo("java-iii/servlets");
        }

        @Test
        void shouldTreatAbsentUserIdAndCohortIdAsNull() {
            // given
            final ObjectNode row = row();
            row.remove("user_id");
            row.remove("cohort_id");

            // when
            final Access access = adaptive().decode(bytes(row));

            // then
            assertThat(access.userId()).isNull();
            assertThat(access.cohortId()).isNull();
        }

        @Test
        void shouldDecodeCohortIdWrittenAsWholeDecimalToInteger() {
            // given
            final byte[] value = bytes(created(row().put("cohort_id", 8.0)));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.cohortId()).isEqualTo(8);
        }

        @Test
        void shouldDecodeUserIdAndIdWrittenAsWholeDecimals() {
            // given
            final byte[] value = bytes(created(row().put("id", 1001.0).put("user_id", 341.0)));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.id()).isEqualTo(1001L);
            assertThat(access.userId()).isEqualTo(341L);
        }

        @Test
        void shouldRejectFractionalCohortIdAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("cohort_id", 8.5)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'cohort_id'");
        }

        @Test
        void shouldRejectCohortIdOutsideIntRangeAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("cohort_id", 3_000_000_000L)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'cohort_id'");
        }

        @Test
        void shouldRejectIdBeyondLongRangeInsteadOfSaturatingToLongMax() {
            // given: 2^64 is a whole number but no long can hold it
            final byte[] value = bytes(created(row().put("id", BigInteger.ONE.shiftLeft(64))));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'id'");
        }
    }

    @Nested
    class IpAddressesOfTheRow {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a"})
        void shouldAcceptIpv6Address(final String ip) {
            // given
            final byte[] value = bytes(created(row().put("ip", ip)));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.ip()).isEqualTo(ip);
        }

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
                "::ffff:204.44.112.76, 204.44.112.76",
                "010.001.002.003, 10.1.2.3",
                "2001:DB8:0:0::1, 2001:db8::1",
                "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
                "0:0:0:0:0:0:0:1, ::1",
                "2001:db8:1:1:1:1:1:0, 2001:db8:1:1:1:1:1:0"
        })
        void shouldWriteEveryAddressInOneCanonicalSpelling(final String written, final String canonical) {
            // given
            final byte[] value = bytes(created(row().put("ip", written)));

            // when
            final Access access = adaptive().decode(value);

            // then: one client, however the address was written
            assertThat(access.ip()).isEqualTo(canonical);
        }

        @Test
        void shouldTrimWhitespaceAroundIp() {
            // given
            final byte[] value = bytes(created(row().put("ip", "  204.44.112.76 ")));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.ip()).isEqualTo("204.44.112.76");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"999.1.1.1", "not-an-ip", "1.2.3", "1.2.3.4.5", "example.com", "1::2::3", "2001:db8::g", ""})
        void shouldRejectUnparseableIpAsInvalidIp(final String ip) {
            // given
            final byte[] value = bytes(created(row().put("ip", ip)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_IP);
            assertThat(e).hasMessageContaining("'ip'");
        }

        @Test
        void shouldRejectHostNameLocalhostWithoutResolvingItThroughDns() {
            // given: a resolver would turn "localhost" into 127.0.0.1, so acceptance would betray a lookup
            final byte[] value = bytes(created(row().put("ip", "localhost")));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_IP);
            assertThat(e).hasMessageContaining("'ip'").hasMessageContaining("localhost");
        }
    }

    @Nested
    class Rejections {

        @Test
        void shouldRejectGarbageBytesAsNotJson() {
            // given
            final byte[] value = {(byte) 0xff, (byte) 0xfe, 0x00, 'x', '{'};

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(e).hasMessageContaining("JSON");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"[1,2,3]", "\"a string\"", "42", "null"})
        void shouldRejectJsonThatIsNotAnObjectAsNotJson(final String json) {
            // given
            final byte[] value = utf8(json);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(e).hasMessageContaining("JSON object");
        }

        @Test
        void shouldRejectEmptyValueAsNotJson() {
            // given
            final byte[] value = new byte[0];

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(e).hasMessageContaining("empty");
        }

        @Test
        void shouldRejectSchemaWrappedArrayPayloadAsNotJson() {
            // given
            final byte[] value = utf8("{\"schema\":{\"type\":\"array\"},\"payload\":[1,2]}");

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(e).hasMessageContaining("ARRAY");
        }

        @ParameterizedTest(name = "without {0}")
        @ValueSource(strings = {"id", "date", "time", "path", "ip"})
        void shouldRejectRowWithoutRequiredFieldAsMissingField(final String field) {
            // given
            final ObjectNode row = row();
            row.remove(field);
            final byte[] value = bytes(created(row));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
            assertThat(e).hasMessageContaining("'" + field + "'");
        }

        @ParameterizedTest(name = "{0} null")
        @ValueSource(strings = {"id", "date", "time", "path", "ip"})
        void shouldRejectRowWithNullRequiredFieldAsMissingField(final String field) {
            // given
            final ObjectNode row = row();
            row.putNull(field);
            final byte[] value = bytes(row);

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
            assertThat(e).hasMessageContaining("'" + field + "'");
        }

        @Test
        void shouldRejectNonNumericIdAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("id", "abc")));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'id'").hasMessageContaining("abc");
        }

        @Test
        void shouldRejectFractionalIdAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("id", 1001.5)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'id'");
        }

        @Test
        void shouldRejectNumericPathAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("path", 42)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'path'");
        }

        @Test
        void shouldRejectStringUserIdAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("user_id", "341")));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'user_id'");
        }

        @Test
        void shouldRejectStringCohortIdAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("cohort_id", "29")));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'cohort_id'");
        }

        @Test
        void shouldRejectNumericIpAsInvalidField() {
            // given
            final byte[] value = bytes(created(row().put("ip", 3_425_464_396L)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e).hasMessageContaining("'ip'");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"2019-13-45", "2019-02-30", "yesterday"})
        void shouldRejectUnparseableIsoDateAsInvalidDate(final String date) {
            // given
            final byte[] value = bytes(created(row0955(date, "09:55:03Z")));

            // when
            final InvalidRecordException e = rejection(() -> decoder(TimePrecisionMode.ISOSTRING).decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'date'");
        }

        @Test
        void shouldRejectEpochDayOutOfLocalDateRangeAsInvalidDate() {
            // given
            final byte[] value = bytes(created(row0955(1_000_000_000_000L, MICROS_09_55_03)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'date'");
        }

        @Test
        void shouldRejectBooleanDateAsInvalidDate() {
            // given
            final byte[] value = bytes(created(row0955(true, MICROS_09_55_03)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'date'");
        }

        @ParameterizedTest(name = "{0} µs")
        @ValueSource(longs = {-1L, 86_400_000_000L, 90_000_000_000L})
        void shouldRejectMicrosecondTimeOutsideTheDayAsInvalidDate(final long micros) {
            // given
            final byte[] value = bytes(created(row0955(EPOCH_DAY_2018_01_26, micros)));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'time'");
        }

        @ParameterizedTest(name = "{0} ms")
        @ValueSource(longs = {-1L, 86_400_000L})
        void shouldRejectMillisecondTimeOutsideTheDayAsInvalidDateInConnectMode(final long millis) {
            // given
            final byte[] value = bytes(created(row0955(EPOCH_DAY_2018_01_26, millis)));

            // when
            final InvalidRecordException e = rejection(() -> decoder(TimePrecisionMode.CONNECT).decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'time'");
        }

        @Test
        void shouldRejectHugeMillisecondTimeWhoseMicrosecondsOverflowInsteadOfWrappingIntoTheDay() {
            // given: 18,446,744,073,709,552 ms × 1000 overflows a long and wraps to 384 µs
            final byte[] value = bytes(created(row0955(EPOCH_DAY_2018_01_26, 18_446_744_073_709_552L)));

            // when
            final InvalidRecordException e = rejection(() -> decoder(TimePrecisionMode.CONNECT).decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'time'");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"25:00:00", "25:00:00Z", "9.55", "noon"})
        void shouldRejectUnparseableIsoTimeAsInvalidDate(final String time) {
            // given
            final byte[] value = bytes(created(row0955("2018-01-26Z", time)));

            // when
            final InvalidRecordException e = rejection(() -> decoder(TimePrecisionMode.ISOSTRING).decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.INVALID_DATE);
            assertThat(e).hasMessageContaining("'time'");
        }

        @Test
        void shouldRejectPathLongerThanConfiguredMaximumAsPathTooLong() {
            // given
            final byte[] value = bytes(created(row().put("path", "a".repeat(MAX_PATH + 1))));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.PATH_TOO_LONG);
            assertThat(e).hasMessageContaining("path").hasMessageContaining(String.valueOf(MAX_PATH + 1))
                    .hasMessageContaining(String.valueOf(MAX_PATH));
        }

        @Test
        void shouldAcceptPathOfExactlyTheConfiguredMaximum() {
            // given
            final String path = "a".repeat(MAX_PATH);
            final byte[] value = bytes(created(row().put("path", path)));

            // when
            final Access access = adaptive().decode(value);

            // then
            assertThat(access.path()).isEqualTo(path);
        }

        @ParameterizedTest(name = "op {0}")
        @ValueSource(strings = {"t", "x"})
        void shouldRejectEnvelopeWithUnknownOpAsUnknownOp(final String op) {
            // given
            final byte[] value = bytes(envelope(op, null, row()));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_OP);
            assertThat(e).hasMessageContaining("'" + op + "'");
        }

        @Test
        void shouldRejectTruncateEnvelopeWithoutRowsAsUnknownOp() {
            // given
            final byte[] value = bytes(envelope("t", null, null));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_OP);
            assertThat(e).hasMessageContaining("'t'");
        }

        @Test
        void shouldRejectFlattenedRowWithUnknownOpAsUnknownOp() {
            // given
            final byte[] value = bytes(row().put("__op", "x"));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_OP);
            assertThat(e).hasMessageContaining("'x'");
        }

        @ParameterizedTest(name = "op {0}")
        @ValueSource(strings = {"c", "r"})
        void shouldRejectEnvelopeWithNullAfterAsMissingField(final String op) {
            // given
            final byte[] value = bytes(envelope(op, null, null));

            // when
            final InvalidRecordException e = rejection(() -> adaptive().decode(value));

            // then
            assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
            assertThat(e).hasMessageContaining("'after'");
        }
    }
}
