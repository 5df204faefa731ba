package io.curriculum.detector.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.curriculum.detector.config.TimePrecisionMode;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast path reads a plain event exactly as the general path does, and leaves every other event to it: for each
 * event below, {@code decode} (fast path first) and {@code decodeInGeneral} (the tree) give the same access or the
 * same rejection.
 */
class PlainLogEventTest {

    private static final String ROW = "\"id\":7,\"date\":17557,\"time\":35703000000,\"path\":\"java-ii/arrays\",\"user_id\":341,\"cohort_id\":29,\"ip\":\"97.105.19.58\"";

    private static final List<String> PLAIN = List.of(
            "{\"before\":null,\"after\":{" + ROW + "},\"source\":{\"version\":\"3.5.0.Final\",\"connector\":\"mysql\",\"pos\":154,\"row\":0,\"query\":null},\"op\":\"c\",\"ts_ms\":1}",
            "{\"op\":\"r\",\"after\":{" + ROW + "}}",
            "{\"after\":{\"ip\":\" 97.105.19.58 \",\"cohort_id\":null,\"user_id\":null,\"path\":\"/\",\"time\":0,\"date\":0,\"id\":-1},\"op\":\"c\"}",
            "{\"after\":{" + ROW + ",\"extra\":[1,{\"a\":2}]},\"op\":\"c\",\"transaction\":{\"id\":\"x\",\"total_order\":3}}",
            "{\"after\":{\"id\":8,\"date\":17557,\"time\":86399999999,\"path\":\"é/ü\",\"ip\":\"2001:db8::1\"},\"op\":\"r\"}",
            "{\"after\":{\"id\":9,\"date\":17557,\"time\":1,\"path\":\"" + "x".repeat(120) + "\",\"ip\":\"1.2.3.4\"},\"op\":\"c\"}",
            "{\"after\":{\"id\":9,\"date\":17557,\"time\":1,\"path\":\"p\",\"ip\":\"97.105.19.610\"},\"op\":\"c\"}",
            "{\"after\":{\"id\":9,\"date\":-800000,\"time\":1,\"path\":\"p\",\"ip\":\"1.2.3.4\"},\"op\":\"c\"}");

    private static final List<String> NOT_PLAIN = List.of(
            "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"op\":\"c\",\"after\":{" + ROW + "}}}",
            "{" + ROW + "}",
            "{" + ROW + ",\"__op\":\"c\"}",
            "{\"op\":\"u\",\"before\":{" + ROW + "},\"after\":{" + ROW + "}}",
            "{\"op\":\"d\",\"before\":{" + ROW + "},\"after\":null}",
            "{\"op\":\"c\",\"after\":{\"id\":7.0,\"date\":17557,\"time\":1,\"path\":\"p\",\"ip\":\"1.2.3.4\"}}",
            "{\"op\":\"c\",\"after\":{\"id\":7,\"date\":17557,\"time\":86400000000,\"path\":\"p\",\"ip\":\"1.2.3.4\"}}",
            "{\"op\":\"c\",\"after\":{\"id\":7,\"date\":17557,\"time\":-1,\"path\":\"p\",\"ip\":\"1.2.3.4\"}}",
            "{\"op\":\"c\",\"after\":{\"id\":7,\"date\":17557,\"time\":1,\"path\":null,\"ip\":\"1.2.3.4\"}}",
            "{\"op\":\"c\",\"after\":{\"id\":7,\"date\":17557,\"time\":1,\"path\":\"p\"}}",
            "{\"op\":\"c\",\"after\":{\"id\":7,\"date\":17557,\"time\":1,\"path\":\"p\",\"ip\":\"1.2.3.4\",\"cohort_id\":3000000000}}",
            "{\"op\":\"c\",\"after\":{\"id\":7,\"id\":8,\"date\":17557,\"time\":1,\"path\":\"p\",\"ip\":\"1.2.3.4\"}}",
            "{\"op\":\"c\",\"op\":\"d\",\"after\":{" + ROW + "}}",
            "{\"op\":\"x\",\"after\":{" + ROW + "}}",
            "{\"op\":\"c\",\"after\":{\"id\":99999999999999999999,\"date\":17557,\"time\":1,\"path\":\"p\",\"ip\":\"1.2.3.4\"}}",
            "{\"op\":\"c\",\"after\":{" + ROW + "},\"source\":{\"broken\":[1,2}}",
            "[1,2]",
            "not json");

    @Test
    void shouldReadAPlainEventAsTheGeneralPathDoes() {
        for (final TimePrecisionMode mode : TimePrecisionMode.values()) {
            final LogDecoder decoder = new LogDecoder(mode, ZoneId.of("America/Chicago"), 100);
            for (final String event : PLAIN) {
                if (mode != TimePrecisionMode.CONNECT) { // its times are milliseconds: these microsecond times are out of range
                    assertThat(PlainLogEvent.read(bytes(event), 1000L)).as(event).isNotNull();
                }
                assertSameOutcome(decoder, event);
            }
        }
    }

    @Test
    void shouldLeaveEveryOtherEventToTheGeneralPath() {
        final LogDecoder decoder = new LogDecoder(TimePrecisionMode.ADAPTIVE_TIME_MICROSECONDS, ZoneId.of("America/Chicago"), 100);
        for (final String event : NOT_PLAIN) {
            assertThat(PlainLogEvent.read(bytes(event), 1000L)).as(event).isNull();
            assertSameOutcome(decoder, event);
        }
    }

    private static void assertSameOutcome(final LogDecoder decoder, final String event) {
        final Throwable generalFailure = catchThrowable(() -> decoder.decodeInGeneral(bytes(event)));
        final Throwable failure = catchThrowable(() -> decoder.decode(bytes(event)));
        if (generalFailure == null) {
            assertThat(failure).as(event).isNull();
            assertThat(decoder.decode(bytes(event))).as(event).isEqualTo(decoder.decodeInGeneral(bytes(event)));
        } else {
            assertThat(failure).as(event).isInstanceOf(InvalidRecordException.class);
            assertThat(((InvalidRecordException) failure).reason()).as(event).isEqualTo(((InvalidRecordException) generalFailure).reason());
            assertThat(failure).as(event).hasMessage(generalFailure.getMessage());
        }
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
