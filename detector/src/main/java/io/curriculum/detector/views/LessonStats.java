package io.curriculum.detector.views;

import io.curriculum.detector.model.Role;
import java.util.Arrays;

/**
 * The lesson view's value, keyed by {@code <programId>|<lesson>} (the reader's program): hits by role, when
 * the lesson was first and last read, and the distinct cohorts whose students read it while enrolled. Bounded
 * by lessons × programs; the cohort set by the cohorts of a program. Partial aggregates of one key (from
 * several partitions) {@link #merge} exactly.
 */
public record LessonStats(long hits, long studentHits, long alumniHits, long staffHits, long firstSeen, long lastSeen,
                          int[] studentCohorts) {

    private static final byte VERSION = 1;

    public static LessonStats first(final long time, final Role role, final Integer cohortId) {
        return new LessonStats(0, 0, 0, 0, time, time, new int[0]).plus(time, role, cohortId);
    }

    public LessonStats plus(final long time, final Role role, final Integer cohortId) {
        int[] cohorts = studentCohorts;
        if (role == Role.STUDENT && cohortId != null) {
            final int at = Arrays.binarySearch(cohorts, cohortId);
            if (at < 0) {
                final int insert = -at - 1;
                cohorts = new int[studentCohorts.length + 1];
                System.arraycopy(studentCohorts, 0, cohorts, 0, insert);
                cohorts[insert] = cohortId;
                System.arraycopy(studentCohorts, insert, cohorts, insert + 1, studentCohorts.length - insert);
            }
        }
        return new LessonStats(hits + 1,
                studentHits + (role == Role.STUDENT ? 1 : 0),
                alumniHits + (role == Role.ALUMNUS ? 1 : 0),
                staffHits + (role == Role.STAFF ? 1 : 0),
                Math.min(firstSeen, time), Math.max(lastSeen, time), cohorts);
    }

    public LessonStats merge(final LessonStats other) {
        final int[] union = java.util.stream.IntStream.concat(Arrays.stream(studentCohorts), Arrays.stream(other.studentCohorts))
                .distinct().sorted().toArray();
        return new LessonStats(hits + other.hits, studentHits + other.studentHits, alumniHits + other.alumniHits,
                staffHits + other.staffHits, Math.min(firstSeen, other.firstSeen), Math.max(lastSeen, other.lastSeen), union);
    }

    public byte[] encode() {
        return Bin.write(64 + 4 * studentCohorts.length, out -> {
            out.writeByte(VERSION);
            out.writeLong(hits);
            out.writeLong(studentHits);
            out.writeLong(alumniHits);
            out.writeLong(staffHits);
            out.writeLong(firstSeen);
            out.writeLong(lastSeen);
            out.writeShort(studentCohorts.length);
            for (final int cohort : studentCohorts) {
                out.writeInt(cohort);
            }
        });
    }

    public static LessonStats decode(final byte[] bytes) {
        return Bin.read(bytes, "lesson stats", in -> {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown version");
            }
            final long hits = in.readLong();
            final long student = in.readLong();
            final long alumni = in.readLong();
            final long staff = in.readLong();
            final long first = in.readLong();
            final long last = in.readLong();
            final int[] cohorts = new int[in.readShort()];
            for (int i = 0; i < cohorts.length; i++) {
                cohorts[i] = in.readInt();
            }
            return new LessonStats(hits, student, alumni, staff, first, last, cohorts);
        });
    }
}
