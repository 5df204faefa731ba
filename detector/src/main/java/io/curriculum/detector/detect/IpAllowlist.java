package io.curriculum.detector.detect;

import java.util.ArrayList;
import java.util.List;

/** IPs and CIDR blocks (IPv4 and IPv6) that the machine-speed rules never flag, e.g. a monitoring probe. */
public final class IpAllowlist {

    private record Block(byte[] network, int prefixBits) {

        boolean contains(final byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            final int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            final int restBits = prefixBits % 8;
            if (restBits == 0) {
                return true;
            }
            final int mask = (0xFF << (8 - restBits)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Block> blocks;

    private IpAllowlist(final List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static IpAllowlist empty() {
        return new IpAllowlist(List.of());
    }

    /**
     * Parses a comma-separated list such as {@code 10.0.0.0/8, 203.0.113.7, 2001:db8::/32}.
     *
     * @throws IllegalArgumentException naming the entry that is neither an IP nor a CIDR block
     */
    public static IpAllowlist parse(final String text) {
        final List<Block> blocks = new ArrayList<>();
        for (final String raw : text.split(",")) {
            final String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int slash = entry.indexOf('/');
            final byte[] network = IpAddresses.parse(slash < 0 ? entry : entry.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (final NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0.." + network.length * 8);
                }
            }
            blocks.add(new Block(network, prefix));
        }
        return new IpAllowlist(blocks);
    }

    public boolean contains(final String ip) {
        if (blocks.isEmpty()) {
            return false;
        }
        final byte[] address = IpAddresses.parse(ip);
        if (address == null) {
            return false;
        }
        for (final Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }
}
