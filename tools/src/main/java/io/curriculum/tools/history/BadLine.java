package io.curriculum.tools.history;

import java.nio.charset.StandardCharsets;

/**
 * A line of a history file that is not a request: where it is, why ({@code code}, a short stable name to count by, and
 * {@code reason}, in words), and the line itself: {@code text} cut to 200 characters for a console, {@code bytes} the
 * original bytes (for the export format exactly as in the file, without the line end; for CSV the fields as parsed,
 * joined by commas).
 */
public record BadLine(String source, long line, String code, String reason, String text, byte[] bytes) {

    private static final int SHOWN = 200;

    public static BadLine of(final String source, final long line, final String code, final String reason, final byte[] bytes) {
        final String text = new String(bytes, StandardCharsets.UTF_8);
        return new BadLine(source, line, code, reason, text.length() > SHOWN ? text.substring(0, SHOWN) + "…" : text, bytes);
    }

    /**
     * The original bytes as text: valid UTF-8 as it is, a backslash as {@code \\}, any other byte that is not printable
     * UTF-8 text (a control character, a byte of no valid UTF-8 sequence) as {@code \xNN}; unambiguous, and readable.
     */
    public String escaped() {
        final StringBuilder out = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            final int b = bytes[i] & 0xff;
            final int length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
            if (length == 1) {
                if (b == '\\') {
                    out.append("\\\\");
                } else if (b < 0x20 && b != '\t' || b == 0x7f) {
                    out.append(String.format("\\x%02x", b));
                } else {
                    out.append((char) b);
                }
                i++;
            } else if (length > 1 && validSequence(i, length)) {
                out.append(new String(bytes, i, length, StandardCharsets.UTF_8));
                i += length;
            } else {
                out.append(String.format("\\x%02x", b));
                i++;
            }
        }
        return out.toString();
    }

    private boolean validSequence(final int start, final int length) {
        if (start + length > bytes.length) {
            return false;
        }
        for (int k = 1; k < length; k++) {
            if ((bytes[start + k] & 0xc0) != 0x80) {
                return false;
            }
        }
        final String decoded = new String(bytes, start, length, StandardCharsets.UTF_8);
        return decoded.indexOf('\uFFFD') < 0 && decoded.codePointCount(0, decoded.length()) == 1;
    }

    @Override
    public String toString() {
        return source + ":" + line + ": " + reason + ": " + text;
    }
}
