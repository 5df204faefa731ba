package io.curriculum.detector.serde;

import io.curriculum.detector.model.Access;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Compact binary {@link Access} for the internal by-IP repartition topic: parsing JSON twice would cost more than the whole detection. */
public final class AccessSerde extends BinarySerde<Access> {

    public AccessSerde() {
        super("access");
    }

    @Override
    byte[] write(final Access access) {
        final byte[] path = utf8(access.path());
        final byte[] ip = utf8(access.ip());
        final ByteBuffer buffer = allocate(8 + 8 + 8 + 4 + 8 + 4 + stringSize(path) + stringSize(ip))
                .putLong(access.id())
                .putLong(access.time().toEpochMilli())
                .putLong(access.localTime().toEpochSecond(ZoneOffset.UTC))
                .putInt(access.localTime().getNano())
                .putLong(access.userId() == null ? NO_USER : access.userId())
                .putInt(access.cohortId() == null ? NO_COHORT : access.cohortId());
        putString(buffer, path);
        putString(buffer, ip);
        return buffer.array();
    }

    @Override
    Access read(final ByteBuffer buffer) {
        final long id = buffer.getLong();
        final Instant time = Instant.ofEpochMilli(buffer.getLong());
        final LocalDateTime local = LocalDateTime.ofEpochSecond(buffer.getLong(), buffer.getInt(), ZoneOffset.UTC);
        final long user = buffer.getLong();
        final int cohort = buffer.getInt();
        final String path = getString(buffer);
        final String ip = getString(buffer);
        return new Access(id, local, time, path, user == NO_USER ? null : user, cohort == NO_COHORT ? null : cohort, ip);
    }
}
