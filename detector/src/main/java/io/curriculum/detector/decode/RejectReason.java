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
    /** Older than the newest event seen minus the configured grace. */
    LATE;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
