package io.curriculum.detector.model;

/**
 * The key of the machine-speed rules' client scope: one user on one address, written {@code <ip>|<userId>} (or
 * {@code <ip>|-} for requests without a user). The topology keys its client states and alert ids by {@link #text()};
 * whoever reads such a key back ({@code explain}, a client key inside an alert id) parses it with {@link #parse}.
 */
public record ClientKey(String ip, Long userId) {

    private static final String NO_USER = "-";

    /** The key as the topology writes it. */
    public String text() {
        return ip + "|" + (userId == null ? NO_USER : userId.toString());
    }

    /** The lowest key of an address's clients: with {@link #lastOf}, the range of a store's keys that holds them all. */
    public static String firstOf(final String ip) {
        return ip + "|";
    }

    /** The highest key of an address's clients ({@code ~} sorts after every digit and {@code -}). */
    public static String lastOf(final String ip) {
        return ip + "|~";
    }

    /**
     * Reads a key written by {@link #text()}: the address is everything before the last {@code |} (an IPv6 address has
     * none of its own).
     *
     * @throws IllegalArgumentException when the text has no {@code |} or the part after it is neither a user id nor {@code -}
     */
    public static ClientKey parse(final String text) {
        final int separator = text.lastIndexOf('|');
        if (separator <= 0) {
            throw new IllegalArgumentException("a client key is <ip>|<userId> (or <ip>|-), not '" + text + "'");
        }
        final String user = text.substring(separator + 1);
        if (NO_USER.equals(user)) {
            return new ClientKey(text.substring(0, separator), null);
        }
        try {
            return new ClientKey(text.substring(0, separator), Long.valueOf(user));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("a client key is <ip>|<userId> (or <ip>|-): '" + user + "' in '" + text + "' is no user id");
        }
    }
}
