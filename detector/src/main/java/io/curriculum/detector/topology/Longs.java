package io.curriculum.detector.topology;

import java.nio.ByteBuffer;

/** A long as a store value: 8 bytes, big-endian. */
final class Longs {

    private Longs() {
    }

    static byte[] encode(final Long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static Long decode(final byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}
