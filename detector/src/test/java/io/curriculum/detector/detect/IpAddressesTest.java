package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @Test
    void shouldParseIpv4LiteralToFourBytes() {
        // when
        final byte[] address = IpAddresses.parse("203.0.113.7");

        // then
        assertThat(address).containsExactly(203, 0, 113, 7);
    }

    @Test
    void shouldParseIpv4Extremes() {
        // when / then
        assertThat(IpAddresses.parse("0.0.0.0")).containsExactly(0, 0, 0, 0);
        assertThat(IpAddresses.parse("255.255.255.255")).containsExactly(255, 255, 255, 255);
    }

    @Test
    void shouldParseIpv6LiteralToSixteenBytes() {
        // when
        final byte[] address = IpAddresses.parse("2001:db8::1");

        // then
        assertThat(address).containsExactly(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void shouldParseIpv6LoopbackAndFullForm() {
        // when / then
        assertThat(IpAddresses.parse("::1")).hasSize(16).endsWith((byte) 1).startsWith((byte) 0);
        assertThat(IpAddresses.parse("2001:0DB8:0000:0000:0000:0000:0000:00ff"))
                .isEqualTo(IpAddresses.parse("2001:db8::ff"));
        assertThat(IpAddresses.isValid("fe80::1")).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" is not an IP literal")
    @NullAndEmptySource
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "a.b.c.d", "example.com", "1.2.3.4.5", "1..2.3", "1.2.3.4.",
            "-1.2.3.4", " 1.2.3.4", "2001:db8::g", "2001:db8:::1", "localhost", "fe80::1%eth0"})
    void shouldRejectInvalidLiteral(final String text) {
        // when / then
        assertThat(IpAddresses.parse(text)).isNull();
        assertThat(IpAddresses.isValid(text)).isFalse();
    }
}
