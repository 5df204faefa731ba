package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What {@code run} advertises as {@code application.server} (an address the other instances can reach, never a wildcard), and
 * where the API's bearer token comes from.
 */
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

    @Test
    void shouldTakeTheTokenFromTheFileBeforeTheEnvironmentAndNoneWithoutEither(@TempDir final Path dir) throws Exception {
        // given
        final Path file = dir.resolve("token");
        Files.writeString(file, "s3cret-from-file\nignored second line\n");
        final Map<String, String> environment = Map.of(ApiOptions.TOKEN_VARIABLE, " s3cret-from-env ");

        // then
        assertThat(parse("--api-token-file", file.toString()).token(environment)).isEqualTo("s3cret-from-file");
        assertThat(parse().token(environment)).isEqualTo("s3cret-from-env");
        assertThat(parse().token(Map.of())).isNull();
    }

    @Test
    void shouldRefuseAnEmptyOrMissingTokenFileNamingTheOption(@TempDir final Path dir) throws Exception {
        final Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> parse("--api-token-file", empty.toString()).token(Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--api-token-file").hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("--api-token-file", dir.resolve("missing").toString()).token(Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("cannot read");
    }

    private static ApiOptions parse(final String... args) {
        final Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.api;
    }
}
