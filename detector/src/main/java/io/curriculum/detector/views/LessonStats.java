package io.curriculum.detector.views;

import io.curriculum.detector.model.Role;
import io.curriculum.detector.serde.FormatVersion;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * The lesson view's value, keyed by {@code <programId>|<lesson>} (the reader's program): hits by role, when
 * the lesson was first and last read, the distinct cohorts whose students read it while enrolled, and the first
 * {@value #MAX_READERS} distinct users who read it (enough to tell a page of the curriculum, read by several people, from a
 * mistyped link read once). Bounded by lessons × programs; the cohort set by the cohorts of a program. Partial aggregates
 * of one key (from several partitions) {@link #merge} exactly, the readers up to their cap.
 */
public record LessonStats(long hits, long studentHits, long alumniHits, long staffHits, long firstSeen, long lastSeen,
                          int[] studentCohorts, long[] readers) {

    /** Distinct readers kept per lesson: "several" is all the answers ask. */
    public static final int MAX_READERS = 3;
    /** Version 1 kept no readers. */
    private static final FormatVersion FORMAT = new FormatVersion("lesson stats", 1, 2);

    public static LessonStats first(final long time, final Role role, final Integer cohortId, final Long userId) {
        return new LessonStats(0, 0, 0, 0, time, time, new int[0], new long[0]).plus(time, role, cohortId, userId);
    }

    public LessonStats plus(final long time, final Role role, final Integer cohortId, final Long userId) {
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
        long[] users = readers;
        if (userId != null && readers.length < MAX_READERS && Arrays.stream(readers).noneMatch(u -> u == userId)) {
            users = Arrays.copyOf(readers, readers.length + 1);
            users[readers.length] = userId;
        }
        return new LessonStats(hits + 1,
                studentHits + (role == Role.STUDENT ? 1 : 0),
                alumniHits + (role == Role.ALUMNUS ? 1 : 0),
                staffHits + (role == Role.STAFF ? 1 : 0),
                Math.min(firstSeen, time), Math.max(lastSeen, time), cohorts, users);
    }

    public LessonStats merge(final LessonStats other) {
        final int[] union = IntStream.concat(Arrays.stream(studentCohorts), Arrays.stream(other.studentCohorts))
                .distinct().sorted().toArray();
        final long[] users = LongStream.concat(Arrays.stream(readers), Arrays.stream(other.readers)).distinct().limit(MAX_READERS).toArray();
        return new LessonStats(hits + other.hits, studentHits + other.studentHits, alumniHits + other.alumniHits,
                staffHits + other.staffHits, Math.min(firstSeen, other.firstSeen), Math.max(lastSeen, other.lastSeen), union, users);
    }

    public byte[] encode() {
        return Bin.write(64 + 4 * studentCohorts.length + 8 * readers.length, out -> {
            FORMAT.write(out);
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
            out.writeByte(readers.length);
            for (final long user : readers) {
                out.writeLong(user);
            }
        });
    }

    /** Reads this version, and the previous one (no readers: a store written before they were kept). */
    public static LessonStats decode(final byte[] bytes) {
        return Bin.read(bytes, "lesson stats", in -> {
            final int version = FORMAT.read(in);
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
            final long[] readers = new long[version == 2 ? in.readByte() : 0];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = in.readLong();
            }
            return new LessonStats(hits, student, alumni, staff, first, last, cohorts, readers);
        });
    }
}
