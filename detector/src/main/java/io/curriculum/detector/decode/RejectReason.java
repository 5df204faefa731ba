package io.curriculum.detector.decode;

import java.util.Locale;

/** Why a record went to the dead-letter topic; the code travels in the {@code dlq.reason} header. */
public enum RejectReason {
    NOT_JSON,
    MISSING_FIELD,
    INVALID_FIELD,
    INVALID_IP,
    INVALID_DATE,
    PATH_TOO_LONG,
    UNKNOWN_OP,
    INVALID_KEY,
    /** Older than the newest event seen minus the configured grace (written by earlier versions; the intake no longer judges lateness). */
    LATE,
    /** Far ahead of the stream time with no other address agreeing, while the stream time moved on without reaching it. */
    CLOCK_SKEW,
    /** A rule record that cannot be put in force (not JSON, an unknown rule or key, a value out of range): the last valid version stays. */
    INVALID_RULE;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
