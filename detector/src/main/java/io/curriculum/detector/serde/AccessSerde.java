package io.curriculum.detector.serde;

import io.curriculum.detector.model.Access;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Compact binary {@link Access} for the internal by-IP repartition topic: parsing JSON twice would cost more than the whole detection. */
public final class AccessSerde implements Serde<Access> {

    private static final byte VERSION = 1;
    private static final long NO_USER = Long.MIN_VALUE;
    private static final int NO_COHORT = Integer.MIN_VALUE;

    @Override
    public Serializer<Access> serializer() {
        return (topic, access) -> {
            if (access == null) {
                return null;
            }
            final byte[] path = access.path().getBytes(StandardCharsets.UTF_8);
            final byte[] ip = access.ip().getBytes(StandardCharsets.UTF_8);
            final ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 8 + 8 + 4 + 8 + 4 + 4 + path.length + 4 + ip.length);
            buffer.put(VERSION)
                    .putLong(access.id())
                    .putLong(access.time().toEpochMilli())
                    .putLong(access.localTime().toEpochSecond(ZoneOffset.UTC))
                    .putInt(access.localTime().getNano())
                    .putLong(access.userId() == null ? NO_USER : access.userId())
                    .putInt(access.cohortId() == null ? NO_COHORT : access.cohortId())
                    .putInt(path.length).put(path)
                    .putInt(ip.length).put(ip);
            return buffer.array();
        };
    }

    @Override
    public Deserializer<Access> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                if (buffer.get() != VERSION) {
                    throw new SerializationException("access of unknown version in " + topic);
                }
                final long id = buffer.getLong();
                final Instant time = Instant.ofEpochMilli(buffer.getLong());
                final LocalDateTime local = LocalDateTime.ofEpochSecond(buffer.getLong(), buffer.getInt(), ZoneOffset.UTC);
                final long user = buffer.getLong();
                final int cohort = buffer.getInt();
                final String path = string(buffer);
                final String ip = string(buffer);
                return new Access(id, local, time, path, user == NO_USER ? null : user, cohort == NO_COHORT ? null : cohort, ip);
            } catch (final RuntimeException e) {
                if (e instanceof SerializationException) {
                    throw e;
                }
                throw new SerializationException("malformed access in " + topic, e);
            }
        };
    }

    private static String string(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
