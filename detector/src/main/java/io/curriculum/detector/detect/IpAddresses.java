package io.curriculum.detector.detect;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IPv4 and IPv6 literals without ever asking DNS ({@link InetAddress#getByName} would resolve a
 * host name, so only strings that can be nothing but a literal reach it).
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** The address bytes (4 or 16), or {@code null} when {@code text} is not an IP literal. */
    public static byte[] parse(final String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return parseV4(text);
        }
        // InetAddress treats text as a literal only when it starts with a hex digit or ':'; anything else it would resolve
        if (text.charAt(0) != ':' && Character.digit(text.charAt(0), 16) < 0) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            final boolean allowed = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
            if (!allowed) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (final UnknownHostException e) {
            return null;
        }
    }

    public static boolean isValid(final String text) {
        return parse(text) != null;
    }

    private static byte[] parseV4(final String text) {
        final byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            final char c = i == text.length() ? '.' : text.charAt(i);
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }
}
