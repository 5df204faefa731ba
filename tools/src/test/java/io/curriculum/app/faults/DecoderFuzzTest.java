package io.curriculum.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.config.TimePrecisionMode;
import io.curriculum.detector.decode.CohortDecoder;
import io.curriculum.detector.decode.InvalidRecordException;
import io.curriculum.detector.decode.LogDecoder;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoders alone, on generated bad input of every kind ({@link BadRecords}), in every time precision mode: each
 * record decodes, decodes to nothing (an update, a delete, a tombstone) or is rejected with an
 * {@link InvalidRecordException}; no other exception escapes, which on the live topics would stop the detector.
 */
class DecoderFuzzTest {

    private static final ZoneId CAMPUS = ZoneId.of("America/Chicago");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldRejectEveryBadRecordWithAReasonAndThrowNothingElse(final long seed) {
        // given
        final BadRecords generator = new BadRecords(seed);
        final List<BadRecords.Input> logs = generator.logs(4_000);
        final List<BadRecords.Input> cohorts = generator.cohorts(2_000);
        final Map<String, Integer> outcomes = new TreeMap<>();
        final List<String> escaped = new ArrayList<>();

        // when
        for (final TimePrecisionMode mode : TimePrecisionMode.values()) {
            final LogDecoder logDecoder = new LogDecoder(mode, CAMPUS, 2048);
            final CohortDecoder cohortDecoder = new CohortDecoder(mode);
            for (final BadRecords.Input input : logs) {
                outcome(() -> logDecoder.decode(input.value()), "log " + input.kind(), outcomes, escaped);
            }
            for (final BadRecords.Input input : cohorts) {
                outcome(() -> cohortDecoder.decode(input.key(), input.value()), "cohort " + input.kind(), outcomes, escaped);
            }
        }

        // then
        assertThat(escaped).as("exceptions other than InvalidRecordException").isEmpty();
        assertThat(outcomes.keySet()).as("every kind both rejected and, for the valid ones, accepted")
                .contains("log valid accepted", "log random-bytes rejected", "log deep-nesting rejected", "log huge-string rejected",
                        "cohort valid accepted", "cohort tombstone rejected", "cohort tombstone accepted");
    }

    private static void outcome(final java.util.function.Supplier<Object> decode, final String kind, final Map<String, Integer> outcomes,
                                final List<String> escaped) {
        String result;
        try {
            result = decode.get() == null ? "ignored" : "accepted";
        } catch (final InvalidRecordException e) {
            result = "rejected";
        } catch (final RuntimeException | StackOverflowError e) {
            escaped.add(kind + ": " + e);
            result = "escaped";
        }
        outcomes.merge(kind + " " + result, 1, Integer::sum);
    }
}
