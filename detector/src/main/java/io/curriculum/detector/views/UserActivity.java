package io.curriculum.detector.views;

import io.curriculum.detector.model.Role;
import io.curriculum.detector.serde.FormatVersion;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user view's value, keyed by user id: what the analysts ask of one account. Overall accesses and first/last
 * access; the cohorts it was seen in, in order, with its role at the first sighting (a user seen in a cohort and
 * later as staff); the curriculum sections (first segment of a lesson) it read, for reading the other program's
 * curriculum; and its current enrolment: accesses while a student, active days, first/last access, and the
 * inactive-student window (accesses in its first class days). Bounded: at most {@link #MAX_SIGHTINGS} cohorts,
 * {@link #MAX_SECTIONS} sections and {@link #MAX_DAYS} days of enrolment.
 */
public final class UserActivity {

    public static final int MAX_SIGHTINGS = 8;
    public static final int MAX_SECTIONS = 32;
    public static final int MAX_DAYS = 1024;
    public static final int NONE = -1;

    /** Where the inactive-student rule stands for the current enrolment. */
    public enum Judgement { NO_WINDOW, PENDING, ACTIVE, INACTIVE }

    /** A cohort the user was seen in, with the role at its first sighting. */
    public record Sighting(int cohortId, int programId, Role role, long firstSeen) {
    }

    private static final FormatVersion FORMAT = new FormatVersion("user activity", 1, 1);
    private static final Role[] ROLES = Role.values();

    long accesses;
    long firstAccess = Long.MAX_VALUE;
    long lastAccess = Long.MIN_VALUE;
    final List<Sighting> sightings = new ArrayList<>(2);
    final Map<String, Integer> sections = new LinkedHashMap<>();
    int studentCohort = NONE;
    int studentProgram = NONE;
    long studentAccesses;
    long studentFirst = Long.MAX_VALUE;
    long studentLast = Long.MIN_VALUE;
    int dayBase;
    BitSet studentDays = new BitSet();
    int windowStart;
    int windowEnd;
    long windowAccesses;
    Judgement judgement = Judgement.NO_WINDOW;

    public long accesses() {
        return accesses;
    }

    public long firstAccess() {
        return firstAccess;
    }

    public long lastAccess() {
        return lastAccess;
    }

    public List<Sighting> sightings() {
        return Collections.unmodifiableList(sightings);
    }

    public Map<String, Integer> sections() {
        return Collections.unmodifiableMap(sections);
    }

    public int studentCohort() {
        return studentCohort;
    }

    public int studentProgram() {
        return studentProgram;
    }

    public long studentAccesses() {
        return studentAccesses;
    }

    public long studentFirst() {
        return studentFirst;
    }

    public long studentLast() {
        return studentLast;
    }

    public int activeDays() {
        return studentDays.cardinality();
    }

    public LocalDate windowStart() {
        return LocalDate.ofEpochDay(windowStart);
    }

    /** Exclusive. */
    public LocalDate windowEnd() {
        return LocalDate.ofEpochDay(windowEnd);
    }

    public long windowAccesses() {
        return windowAccesses;
    }

    public Judgement judgement() {
        return judgement;
    }

    /** Counts one access of any role; {@code section} null when the path is not a lesson. */
    public void access(final long time, final Integer cohortId, final int programId, final Role role, final String section) {
        accesses++;
        firstAccess = Math.min(firstAccess, time);
        lastAccess = Math.max(lastAccess, time);
        if (cohortId != null && sightings.size() < MAX_SIGHTINGS
                && sightings.stream().noneMatch(s -> s.cohortId() == cohortId)) {
            sightings.add(new Sighting(cohortId, programId, role, time));
        }
        if (section != null) {
            final Integer count = sections.get(section);
            if (count != null) {
                sections.put(section, count + 1);
            } else if (sections.size() < MAX_SECTIONS) {
                sections.put(section, 1);
            }
        }
    }

    /**
     * Starts a new enrolment: the rule's window is {@code windowStart} (inclusive) to {@code windowEnd} (exclusive), or
     * none when {@code windowEnd} is null (the enrolment, as observed, is shorter than the rule's class days).
     */
    public void enrol(final int cohortId, final int programId, final LocalDate cohortStart, final LocalDate windowStart, final LocalDate windowEnd) {
        studentCohort = cohortId;
        studentProgram = programId;
        studentAccesses = 0;
        studentFirst = Long.MAX_VALUE;
        studentLast = Long.MIN_VALUE;
        dayBase = (int) cohortStart.toEpochDay();
        studentDays = new BitSet();
        windowAccesses = 0;
        if (windowEnd == null) {
            judgement = Judgement.NO_WINDOW;
        } else {
            this.windowStart = (int) windowStart.toEpochDay();
            this.windowEnd = (int) windowEnd.toEpochDay();
            judgement = Judgement.PENDING;
        }
    }

    /** Counts an access while enrolled (role student in {@link #studentCohort}), on the campus day {@code day}. */
    public void studentAccess(final long time, final LocalDate day) {
        studentAccesses++;
        studentFirst = Math.min(studentFirst, time);
        studentLast = Math.max(studentLast, time);
        final int offset = (int) (day.toEpochDay() - dayBase);
        if (offset >= 0 && offset < MAX_DAYS) {
            studentDays.set(offset);
        }
        if (judgement == Judgement.PENDING && day.toEpochDay() >= windowStart && day.toEpochDay() < windowEnd) {
            windowAccesses++;
        }
    }

    /** True once the current enrolment's window has been judged (active or inactive). */
    public boolean isJudged() {
        return judgement == Judgement.ACTIVE || judgement == Judgement.INACTIVE;
    }

    /** True when {@code day} lies in the current enrolment's window. */
    public boolean inWindow(final LocalDate day) {
        return judgement != Judgement.NO_WINDOW && day.toEpochDay() >= windowStart && day.toEpochDay() < windowEnd;
    }

    /** Judges a pending window whose end has passed: true when the student is inactive (fewer than {@code minAccesses}). */
    public boolean judge(final int minAccesses) {
        judgement = windowAccesses < minAccesses ? Judgement.INACTIVE : Judgement.ACTIVE;
        return judgement == Judgement.INACTIVE;
    }

    public byte[] encode() {
        final byte[] days = studentDays.toByteArray();
        return Bin.write(128 + days.length + 24 * sections.size(), out -> {
            FORMAT.write(out);
            out.writeLong(accesses);
            out.writeLong(firstAccess);
            out.writeLong(lastAccess);
            out.writeByte(sightings.size());
            for (final Sighting s : sightings) {
                out.writeInt(s.cohortId());
                out.writeInt(s.programId());
                out.writeByte(s.role().ordinal());
                out.writeLong(s.firstSeen());
            }
            out.writeByte(sections.size());
            for (final Map.Entry<String, Integer> section : sections.entrySet()) {
                out.writeUTF(section.getKey());
                out.writeInt(section.getValue());
            }
            out.writeInt(studentCohort);
            out.writeInt(studentProgram);
            out.writeLong(studentAccesses);
            out.writeLong(studentFirst);
            out.writeLong(studentLast);
            out.writeInt(dayBase);
            out.writeShort(days.length);
            out.write(days);
            out.writeInt(windowStart);
            out.writeInt(windowEnd);
            out.writeLong(windowAccesses);
            out.writeByte(judgement.ordinal());
        });
    }

    public static UserActivity decode(final byte[] bytes) {
        return Bin.read(bytes, "user activity", in -> {
            FORMAT.read(in);
            final UserActivity u = new UserActivity();
            u.accesses = in.readLong();
            u.firstAccess = in.readLong();
            u.lastAccess = in.readLong();
            final int sightings = in.readByte();
            for (int i = 0; i < sightings; i++) {
                u.sightings.add(new Sighting(in.readInt(), in.readInt(), ROLES[in.readByte()], in.readLong()));
            }
            final int sections = in.readByte();
            for (int i = 0; i < sections; i++) {
                u.sections.put(in.readUTF(), in.readInt());
            }
            u.studentCohort = in.readInt();
            u.studentProgram = in.readInt();
            u.studentAccesses = in.readLong();
            u.studentFirst = in.readLong();
            u.studentLast = in.readLong();
            u.dayBase = in.readInt();
            final byte[] days = new byte[in.readShort()];
            in.readFully(days);
            u.studentDays = BitSet.valueOf(days);
            u.windowStart = in.readInt();
            u.windowEnd = in.readInt();
            u.windowAccesses = in.readLong();
            u.judgement = Judgement.values()[in.readByte()];
            return u;
        });
    }
}
