package io.curriculum.app.api;

import io.curriculum.detector.detect.IpAddresses;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.model.ClientKey;
import io.curriculum.detector.model.MachineSpeedAlertId;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whose requests to explain, and at which scopes of the machine-speed rules, as the topology keys them: an address
 * ({@code ip} scope, and the {@code client} scope of every user on it), a user ({@code user} scope, and the
 * {@code client} scope of the user on every address), or the one key of an alert.
 *
 * @param ip     the address (canonical, as the detector writes it), or null for any
 * @param userId the user, or null for any
 * @param key    the one key of an alert's scope to explain (e.g. the client {@code 203.0.113.9|-} of the requests without a
 *               user), or null for every key of the subject
 * @param label  how the subject is named in the output
 */
public record Subject(String ip, Long userId, Set<Scope> scopes, String key, String label) {

    public Subject {
        scopes = Set.copyOf(scopes);
    }

    /**
     * An address, at the ip scope and the client scope of each user on it.
     *
     * @throws IllegalArgumentException when {@code ip} is no IPv4 or IPv6 address
     */
    public static Subject address(final String ip) {
        return new Subject(canonical(ip), null, EnumSet.of(Scope.IP, Scope.CLIENT), null, "ip " + canonical(ip));
    }

    /** A user, at the user scope and the client scope of the user on each address. */
    public static Subject user(final long userId) {
        return new Subject(null, userId, EnumSet.of(Scope.USER, Scope.CLIENT), null, "user " + userId);
    }

    /** The key an alert names, at the alert's scope only. */
    public static Subject of(final MachineSpeedAlertId id) {
        return switch (id.scope()) {
            case "ip" -> new Subject(canonical(id.key()), null, EnumSet.of(Scope.IP), canonical(id.key()), id.text());
            case "client" -> {
                final ClientKey client = ClientKey.parse(id.key());
                yield new Subject(canonical(client.ip()), client.userId(), EnumSet.of(Scope.CLIENT),
                        new ClientKey(canonical(client.ip()), client.userId()).text(), id.text());
            }
            default -> {
                try {
                    final long user = Long.parseLong(id.key());
                    yield new Subject(null, user, EnumSet.of(Scope.USER), Long.toString(user), id.text());
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException("'" + id.text() + "': a user-scope alert names a user id, not '" + id.key() + "'");
                }
            }
        };
    }

    /** Whether a request from {@code requestIp} by {@code requestUser} is one of the subject's. */
    public boolean owns(final String requestIp, final Long requestUser) {
        if (key != null) {
            return key.equals(keyOf(scopes.iterator().next(), requestIp, requestUser));
        }
        return (ip == null || ip.equals(requestIp)) && (userId == null || userId.equals(requestUser));
    }

    /** The key of a request at {@code scope} if the subject watches that scope and the request is the subject's, else null. */
    public String keyAt(final Scope scope, final String requestIp, final Long requestUser) {
        return scopes.contains(scope) && owns(requestIp, requestUser) ? keyOf(scope, requestIp, requestUser) : null;
    }

    private static String keyOf(final Scope scope, final String requestIp, final Long requestUser) {
        return switch (scope) {
            case IP -> requestIp;
            case CLIENT -> new ClientKey(requestIp, requestUser).text();
            case USER -> requestUser == null ? null : requestUser.toString();
        };
    }

    /** How the output names the subject's requests: {@code from 203.0.113.9}, {@code by user 417}, {@code by user 417 from ...}. */
    public String requestsOf() {
        if (key != null && userId == null && ip != null && scopes.contains(Scope.CLIENT)) {
            return "without a user from " + ip;
        }
        if (ip != null && userId != null) {
            return "by user " + userId + " from " + ip;
        }
        return ip != null ? "from " + ip : "by user " + userId;
    }

    private static String canonical(final String ip) {
        final String canonical = IpAddresses.canonical(ip.trim());
        if (canonical == null) {
            throw new IllegalArgumentException("'" + ip + "' is not an IPv4 or IPv6 address");
        }
        return canonical;
    }
}
