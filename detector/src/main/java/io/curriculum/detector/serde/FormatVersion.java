package io.curriculum.detector.serde;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The leading version byte of a hand-rolled binary format (the repartition topics' values, the activity states, band series
 * and views in the state stores): every such format starts with one, written as {@link #newest} and read back only within
 * {@code oldest..newest}, so a store or topic written by an older build restores and one written by a newer build fails
 * with a {@link SerializationException} that names the format and both versions, instead of being misread.
 *
 * @param what   the format, for error messages: "activity state", "band series"
 * @param oldest the oldest version this build still reads
 * @param newest the version this build writes
 */
public record FormatVersion(String what, int oldest, int newest) {

    public FormatVersion {
        if (oldest < 1 || newest < oldest || newest > Byte.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": versions run from 1 to " + Byte.MAX_VALUE + ", oldest before newest; was "
                    + oldest + " to " + newest);
        }
    }

    /** Writes the version byte, {@link #newest}. */
    public void write(final DataOutput out) throws IOException {
        out.writeByte(newest);
    }

    /** Puts the version byte, {@link #newest}. */
    public ByteBuffer put(final ByteBuffer buffer) {
        return buffer.put((byte) newest);
    }

    /** Reads the version byte and returns it, when this build reads that version. */
    public int read(final DataInput in) throws IOException {
        return check(in.readByte());
    }

    /** Takes the version byte from {@code buffer} and returns it, when this build reads that version. */
    public int read(final ByteBuffer buffer) {
        return check(buffer.get());
    }

    private int check(final byte version) {
        if (version < oldest || version > newest) {
            throw new SerializationException(what + " of unknown version " + version + ": this build reads versions " + oldest + " to "
                    + newest + (version > newest ? " (written by a newer build?)" : ""));
        }
        return version;
    }
}
