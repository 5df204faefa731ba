package io.curriculum.app.cli;

/** Something the user asked for that cannot be done as asked; the message says what to do instead. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(final String message) {
        super(message);
    }
}
