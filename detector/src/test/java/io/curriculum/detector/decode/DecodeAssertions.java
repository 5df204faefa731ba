package io.curriculum.detector.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Helpers shared by the decoder tests. */
final class DecodeAssertions {

    private DecodeAssertions() {
    }

    static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The exception {@code decode} throws; fails, naming what was decoded instead, when it throws none. */
    static InvalidRecordException rejection(final Supplier<?> decode) {
        final Object[] decoded = new Object[1];
        final Throwable thrown = catchThrowable(() -> decoded[0] = decode.get());
        assertThat(thrown).as("expected an InvalidRecordException, but the record decoded to %s", decoded[0])
                .isInstanceOf(InvalidRecordException.class);
        return (InvalidRecordException) thrown;
    }
}
