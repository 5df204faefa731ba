package io.curriculum.tools.history;

/** A history or cohorts file that cannot be used at all: missing, unreadable, or not in any known format. */
public final class HistoryFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HistoryFormatException(final String message) {
        super(message);
    }
}
