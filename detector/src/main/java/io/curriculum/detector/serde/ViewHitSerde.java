package io.curriculum.detector.serde;

import io.curriculum.detector.model.Role;
import io.curriculum.detector.model.ViewHit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Compact binary {@link ViewHit} for the internal by-user repartition topic (about 40 bytes a record). */
public final class ViewHitSerde implements Serde<ViewHit> {

    private static final byte VERSION = 1;
    private static final long NO_USER = Long.MIN_VALUE;
    private static final int NO_COHORT = Integer.MIN_VALUE;
    private static final Role[] ROLES = Role.values();

    @Override
    public Serializer<ViewHit> serializer() {
        return (topic, hit) -> {
            if (hit == null) {
                return null;
            }
            final byte[] lesson = hit.lesson() == null ? null : hit.lesson().getBytes(StandardCharsets.UTF_8);
            final ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 4 + 8 + 4 + 4 + 1 + 4 + (lesson == null ? 0 : lesson.length));
            buffer.put(VERSION)
                    .putLong(hit.time())
                    .putInt((int) hit.day().toEpochDay())
                    .putLong(hit.userId() == null ? NO_USER : hit.userId())
                    .putInt(hit.cohortId() == null ? NO_COHORT : hit.cohortId())
                    .putInt(hit.programId())
                    .put((byte) hit.role().ordinal())
                    .putInt(lesson == null ? -1 : lesson.length);
            if (lesson != null) {
                buffer.put(lesson);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<ViewHit> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                if (buffer.get() != VERSION) {
                    throw new SerializationException("view hit of unknown version in " + topic);
                }
                final long time = buffer.getLong();
                final LocalDate day = LocalDate.ofEpochDay(buffer.getInt());
                final long user = buffer.getLong();
                final int cohort = buffer.getInt();
                final int program = buffer.getInt();
                final Role role = ROLES[buffer.get()];
                final int length = buffer.getInt();
                String lesson = null;
                if (length >= 0) {
                    final byte[] text = new byte[length];
                    buffer.get(text);
                    lesson = new String(text, StandardCharsets.UTF_8);
                }
                return new ViewHit(time, day, user == NO_USER ? null : user, cohort == NO_COHORT ? null : cohort, program, role, lesson);
            } catch (final RuntimeException e) {
                if (e instanceof SerializationException) {
                    throw e;
                }
                throw new SerializationException("malformed view hit in " + topic, e);
            }
        };
    }
}
