package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** What {@code run} advertises as {@code application.server}: an address the other instances can reach, never a wildcard. */
class ApiOptionsTest {

    @Command(name = "holder")
    static final class Holder {
        @Mixin
        ApiOptions api;
    }

    @Test
    void shouldAdvertiseTheAddressOfTheHostNameWhenListeningOnEveryInterface() throws Exception {
        // given an API on every interface (as in a container), IPv4 and IPv6
        // then the address of this machine's host name is advertised (in a container: the container's), not the wildcard
        final String own = InetAddress.getLocalHost().getHostAddress();
        assertThat(parse("--api-address", "0.0.0.0").advertisedHost()).isEqualTo(own).isNotEqualTo("0.0.0.0");
        assertThat(parse("--api-address", "::").advertisedHost()).isEqualTo(own);
    }

    @Test
    void shouldAdvertiseTheBoundAddressOrTheOneGiven() {
        assertThat(parse().advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(parse("--api-address", "127.0.0.2").advertisedHost()).isEqualTo("127.0.0.2");
        assertThat(parse("--api-address", "0.0.0.0", "--api-advertised-host", "detector-2.example.org").advertisedHost())
                .isEqualTo("detector-2.example.org");
    }

    private static ApiOptions parse(final String... args) {
        final Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.api;
    }
}
