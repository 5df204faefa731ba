package io.curriculum.tools.replay;

/**
 * A replay that cannot go on as asked, for a reason the user can fix: its work directory is in use or holds another
 * replay, or what an earlier run of the same replay id produced is not this history. The message says what to do.
 */
public final class ReplayRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ReplayRefusedException(final String message) {
        super(message);
    }
}
