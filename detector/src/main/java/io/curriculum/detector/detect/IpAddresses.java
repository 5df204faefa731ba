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

    /**
     * The one spelling of an address, so that {@code 010.001.002.003} and {@code 10.1.2.3}, or
     * {@code 2001:DB8:0:0::1} and {@code 2001:db8::1}, are one client: dotted decimal for IPv4 (an
     * IPv4-mapped IPv6 address included), RFC 5952 for IPv6. Null when {@code text} is not an IP literal.
     */
    public static String canonical(final String text) {
        final byte[] bytes = parse(text);
        if (bytes == null) {
            return null;
        }
        final String canonical = bytes.length == 4 ? v4(bytes) : v6(bytes);
        return canonical.equals(text) ? text : canonical;
    }

    private static String v4(final byte[] b) {
        return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }

    private static String v6(final byte[] b) {
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        final StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
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
