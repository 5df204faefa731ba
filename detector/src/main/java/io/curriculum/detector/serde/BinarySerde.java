package io.curriculum.detector.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The compact binary form of the internal repartition topics' values: a version byte, then the fields that
 * {@link #write} puts and {@link #read} takes. Null passes through (a tombstone); bytes of another version, or too
 * short, fail with a {@link SerializationException} naming the topic. Strings are a length and UTF-8 bytes, length -1
 * for null.
 */
abstract class BinarySerde<T> implements Serde<T> {

    static final long NO_USER = Long.MIN_VALUE;
    static final int NO_COHORT = Integer.MIN_VALUE;

    /** What a value is, for error messages ("access", "view hit"), and its version byte. */
    private final FormatVersion format;

    BinarySerde(final String what) {
        this.format = new FormatVersion(what, 1, 1);
    }

    /** The value's bytes: {@link #allocate} the fields' size, then put them. */
    abstract byte[] write(T value);

    /** The value whose fields follow the version byte in {@code buffer}. */
    abstract T read(ByteBuffer buffer);

    /** A buffer for {@code fieldBytes} bytes of fields, the version byte already in it. */
    ByteBuffer allocate(final int fieldBytes) {
        return format.put(ByteBuffer.allocate(1 + fieldBytes));
    }

    static byte[] utf8(final String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes {@link #putString} takes for {@code utf8}. */
    static int stringSize(final byte[] utf8) {
        return 4 + (utf8 == null ? 0 : utf8.length);
    }

    static void putString(final ByteBuffer buffer, final byte[] utf8) {
        buffer.putInt(utf8 == null ? -1 : utf8.length);
        if (utf8 != null) {
            buffer.put(utf8);
        }
    }

    static String getString(final ByteBuffer buffer) {
        final int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public final Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public final Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                format.read(buffer);
                return read(buffer);
            } catch (final RuntimeException e) {
                if (e instanceof SerializationException) {
                    throw new SerializationException(e.getMessage() + " in " + topic, e);
                }
                throw new SerializationException("malformed " + format.what() + " in " + topic, e);
            }
        };
    }
}
