package io.curriculum.detector.detect;

/**
 * What a key of the machine-speed rules stands for, and what the rules watch there.
 * <ul>
 *   <li>{@link #IP}: everything from one address; the burst rule only (an address's hours mix every reader behind a NAT).</li>
 *   <li>{@link #CLIENT}: one user on one address; burst and crawl.</li>
 *   <li>{@link #USER}: one user on every address; burst and crawl, but only over windows that span at least two
 *   addresses: on one address the client scope has already spoken, so one actor on one address is not alerted a
 *   third time, while an account rotating its addresses is caught.</li>
 * </ul>
 */
public enum Scope {
    IP("ip", false, 1),
    CLIENT("client", true, 1),
    USER("user", true, 2);

    private final String label;
    private final boolean watchesCrawl;
    private final int minAddresses;

    Scope(final String label, final boolean watchesCrawl, final int minAddresses) {
        this.label = label;
        this.watchesCrawl = watchesCrawl;
        this.minAddresses = minAddresses;
    }

    public String label() {
        return label;
    }

    public boolean watchesCrawl() {
        return watchesCrawl;
    }

    /** Distinct addresses a window must hold for a threshold to count. */
    public int minAddresses() {
        return minAddresses;
    }
}
