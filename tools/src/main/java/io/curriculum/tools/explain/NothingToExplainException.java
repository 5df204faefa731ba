package io.curriculum.tools.explain;

/** What was asked about is not in the file (no request of the key in the range, no such alert): the message says which and what is there. */
public final class NothingToExplainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NothingToExplainException(final String message) {
        super(message);
    }
}
