package io.curriculum.detector.model;

/** The school's programs, by {@code cohorts.program_id}. */
public final class Program {

    /** The id used for accesses whose cohort, and so program, is not known. */
    public static final int UNKNOWN = 0;

    private Program() {
    }

    /** Whether {@code programId} is one of the school's programs (a program the curriculum has, whether or not it was read). */
    public static boolean isKnown(final int programId) {
        return programId >= 1 && programId <= 4;
    }

    public static String name(final int programId) {
        switch (programId) {
            case UNKNOWN:
                return "unknown";
            case 1:
                return "PHP web development";
            case 2:
                return "Java web development";
            case 3:
                return "data science";
            case 4:
                return "front-end";
            default:
                return "program " + programId;
        }
    }
}
