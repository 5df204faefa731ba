package io.curriculum.app.history;

/** A line of a history file that is not a request: where it is, what is wrong, and the text (cut to 200 characters). */
public record BadLine(String source, long line, String reason, String text) {

    private static final int SHOWN = 200;

    public static BadLine of(final String source, final long line, final String reason, final String text) {
        return new BadLine(source, line, reason, text.length() > SHOWN ? text.substring(0, SHOWN) + "…" : text);
    }

    @Override
    public String toString() {
        return source + ":" + line + ": " + reason + ": " + text;
    }
}
