package io.curriculum.detector.rules;

import java.util.List;

/**
 * A rule record that cannot be put in force: not JSON, an unknown rule or key, a value that does not parse or lies out
 * of range. {@code path} names the field at fault inside the record (e.g. {@code [settings, detector.band.k]}; empty for
 * the record as a whole), so that a rules file can say on which line it is.
 */
public final class InvalidRuleException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> path;

    public InvalidRuleException(final String message, final List<String> path) {
        super(message);
        this.path = List.copyOf(path);
    }

    public List<String> path() {
        return path;
    }
}
