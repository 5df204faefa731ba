package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAllowlistTest {

    @Test
    void shouldContainSingleIpv4AndNothingElse() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("203.0.113.7");

        // when / then
        assertThat(allowlist.contains("203.0.113.7")).isTrue();
        assertThat(allowlist.contains("203.0.113.8")).isFalse();
        assertThat(allowlist.contains("203.0.113.6")).isFalse();
    }

    @Test
    void shouldContainWholeSlashEightBlock() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("10.0.0.0/8");

        // when / then
        assertThat(allowlist.contains("10.0.0.0")).isTrue();
        assertThat(allowlist.contains("10.255.255.255")).isTrue();
        assertThat(allowlist.contains("10.1.2.3")).isTrue();
        assertThat(allowlist.contains("11.0.0.0")).isFalse();
        assertThat(allowlist.contains("9.255.255.255")).isFalse();
    }

    @Test
    void shouldContainSlashTwentyFourBlock() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("192.168.10.0/24");

        // when / then
        assertThat(allowlist.contains("192.168.10.1")).isTrue();
        assertThat(allowlist.contains("192.168.10.255")).isTrue();
        assertThat(allowlist.contains("192.168.11.1")).isFalse();
    }

    @Test
    void shouldTreatSlashThirtyTwoAsSingleAddress() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("198.51.100.20/32");

        // when / then
        assertThat(allowlist.contains("198.51.100.20")).isTrue();
        assertThat(allowlist.contains("198.51.100.21")).isFalse();
    }

    @Test
    void shouldContainEveryIpv4ForSlashZeroButNoIpv6() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("0.0.0.0/0");

        // when / then
        assertThat(allowlist.contains("1.2.3.4")).isTrue();
        assertThat(allowlist.contains("255.255.255.255")).isTrue();
        assertThat(allowlist.contains("2001:db8::1")).isFalse();
    }

    @Test
    void shouldMatchPrefixThatIsNotByteAligned() {
        // given: 172.16.0.0/12 is 172.16.0.0 to 172.31.255.255
        final IpAllowlist allowlist = IpAllowlist.parse("172.16.0.0/12");

        // when / then
        assertThat(allowlist.contains("172.16.0.1")).isTrue();
        assertThat(allowlist.contains("172.31.255.255")).isTrue();
        assertThat(allowlist.contains("172.32.0.0")).isFalse();
        assertThat(allowlist.contains("172.15.255.255")).isFalse();
    }

    @Test
    void shouldContainIpv6LiteralAndBlock() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("2001:db8::/32, fd00::7");

        // when / then
        assertThat(allowlist.contains("2001:db8::1")).isTrue();
        assertThat(allowlist.contains("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(allowlist.contains("2001:db9::1")).isFalse();
        assertThat(allowlist.contains("fd00::7")).isTrue();
        assertThat(allowlist.contains("fd00:0:0:0:0:0:0:7")).isTrue();
        assertThat(allowlist.contains("fd00::8")).isFalse();
    }

    @Test
    void shouldParseCommaSeparatedMixOfEntries() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse(" 10.0.0.0/8 , 203.0.113.7,, 2001:db8::/32 ");

        // when / then
        assertThat(allowlist.isEmpty()).isFalse();
        assertThat(allowlist.contains("10.9.8.7")).isTrue();
        assertThat(allowlist.contains("203.0.113.7")).isTrue();
        assertThat(allowlist.contains("2001:db8::42")).isTrue();
        assertThat(allowlist.contains("192.0.2.1")).isFalse();
    }

    @Test
    void shouldNeverMatchAcrossAddressFamilies() {
        // given
        final IpAllowlist ipv4Only = IpAllowlist.parse("0.0.0.0/0");
        final IpAllowlist ipv6Only = IpAllowlist.parse("::/0");

        // when / then
        assertThat(ipv4Only.contains("::1")).isFalse();
        assertThat(ipv4Only.contains("2001:db8::1")).isFalse();
        assertThat(ipv6Only.contains("2001:db8::1")).isTrue();
        assertThat(ipv6Only.contains("10.0.0.1")).isFalse();
        assertThat(ipv6Only.contains("127.0.0.1")).isFalse();
    }

    @Test
    void shouldNotContainInvalidOrMissingAddress() {
        // given
        final IpAllowlist allowlist = IpAllowlist.parse("0.0.0.0/0, ::/0");

        // when / then
        assertThat(allowlist.contains("example.com")).isFalse();
        assertThat(allowlist.contains("")).isFalse();
        assertThat(allowlist.contains(null)).isFalse();
    }

    @Test
    void shouldContainNothingWhenEmpty() {
        // when / then
        assertThat(IpAllowlist.empty().isEmpty()).isTrue();
        assertThat(IpAllowlist.empty().contains("10.0.0.1")).isFalse();
        assertThat(IpAllowlist.parse("").isEmpty()).isTrue();
        assertThat(IpAllowlist.parse(" , ").contains("10.0.0.1")).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"10.0.0.0/33", "nonsense", "1.2.3.4/x", "1.2.3.4/-1", "2001:db8::/129", "300.1.1.1/8", "1.2.3.4/"})
    void shouldRejectInvalidEntryNamingIt(final String entry) {
        // when / then
        assertThatThrownBy(() -> IpAllowlist.parse("192.0.2.1, " + entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
    }
}
