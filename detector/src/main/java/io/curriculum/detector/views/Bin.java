package io.curriculum.detector.views;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;

/** Small helpers for the views' compact binary values: a version byte ({@link io.curriculum.detector.serde.FormatVersion}), then fields in a fixed order. */
final class Bin {

    private Bin() {
    }

    interface Writing {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reading<T> {
        T read(DataInputStream in) throws IOException;
    }

    static byte[] write(final int size, final Writing writing) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.write(out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static <T> T read(final byte[] bytes, final String what, final Reading<T> reading) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return reading.read(in);
        } catch (final SerializationException e) {
            throw e;
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("malformed " + what, e);
        }
    }
}
