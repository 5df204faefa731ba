package io.curriculum.detector.serde;

import io.curriculum.detector.model.Role;
import io.curriculum.detector.model.ViewHit;
import java.nio.ByteBuffer;
import java.time.LocalDate;

/** Compact binary {@link ViewHit} for the internal by-user repartition topic (about 50 bytes a record). */
public final class ViewHitSerde extends BinarySerde<ViewHit> {

    private static final Role[] ROLES = Role.values();

    public ViewHitSerde() {
        super("view hit");
    }

    @Override
    byte[] write(final ViewHit hit) {
        final byte[] lesson = utf8(hit.lesson());
        final byte[] ip = utf8(hit.ip());
        final ByteBuffer buffer = allocate(8 + 4 + 8 + 4 + 4 + 1 + stringSize(lesson) + stringSize(ip))
                .putLong(hit.time())
                .putInt((int) hit.day().toEpochDay())
                .putLong(hit.userId() == null ? NO_USER : hit.userId())
                .putInt(hit.cohortId() == null ? NO_COHORT : hit.cohortId())
                .putInt(hit.programId())
                .put((byte) hit.role().ordinal());
        putString(buffer, lesson);
        putString(buffer, ip);
        return buffer.array();
    }

    @Override
    ViewHit read(final ByteBuffer buffer) {
        final long time = buffer.getLong();
        final LocalDate day = LocalDate.ofEpochDay(buffer.getInt());
        final long user = buffer.getLong();
        final int cohort = buffer.getInt();
        final int program = buffer.getInt();
        final Role role = ROLES[buffer.get()];
        final String lesson = getString(buffer);
        final String ip = getString(buffer);
        return new ViewHit(time, day, user == NO_USER ? null : user, cohort == NO_COHORT ? null : cohort, program, role, lesson, ip);
    }
}
