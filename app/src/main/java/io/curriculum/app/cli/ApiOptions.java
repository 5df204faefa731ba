package io.curriculum.app.cli;

import io.curriculum.app.api.AnalystApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the analysts' API listens, shared by the commands that keep a detector running. */
public final class ApiOptions {

    @Option(names = "--api-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address of the analysts' API (/api/...). Default: ${DEFAULT-VALUE} (loopback only; 0.0.0.0 for every interface).")
    String address;

    @Option(names = "--api-advertised-host", paramLabel = "HOST",
            description = "Host name or address at which the other instances reach this API, advertised to them as application.server "
                    + "(HOST:the API's port) unless application.server is configured. Default: the --api-address, or, when that is "
                    + "every interface (0.0.0.0, ::), the address of this machine's host name (in a container: the container's own "
                    + "address on its network, which the other containers reach).")
    String advertisedHost;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8090",
            description = "Port of the analysts' API (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--no-api", description = "Serve no analysts' API.")
    boolean disabled;

    @Option(names = "--api-token-file", paramLabel = "FILE",
            description = "A file holding the API's bearer token (its first line): every request, the instances' own included, must then send "
                    + "'Authorization: Bearer <token>'. Default: the environment variable " + TOKEN_VARIABLE + ", or no token.")
    Path tokenFile;

    static final String TOKEN_VARIABLE = "DETECTOR_API_TOKEN";

    /** The bearer token: from --api-token-file, else from the environment, else null (no token). */
    String token(final Map<String, String> environment) {
        if (tokenFile != null) {
            final List<String> lines;
            try {
                lines = Files.readAllLines(tokenFile);
            } catch (final IOException e) {
                throw new UsageException("--api-token-file " + tokenFile + ": cannot read it (" + e.getMessage() + ")");
            }
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new UsageException("--api-token-file " + tokenFile + ": the file is empty; put the token on its first line");
            }
            return lines.get(0).trim();
        }
        final String fromEnvironment = environment.get(TOKEN_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
    }

    /** The host advertised as {@code application.server}: see {@code --api-advertised-host}. */
    String advertisedHost() {
        if (advertisedHost != null) {
            return advertisedHost;
        }
        try {
            if (!InetAddress.getByName(address).isAnyLocalAddress()) {
                return address;
            }
            return InetAddress.getLocalHost().getHostAddress();
        } catch (final UnknownHostException e) {
            throw new UsageException("--api-address " + address + ": no address of this machine to advertise to the other instances ("
                    + e.getMessage() + "); pass --api-advertised-host HOST");
        }
    }

    /** Binds the API's address, or returns null when disabled. */
    public AnalystApi bind() {
        if (disabled) {
            return null;
        }
        try {
            return AnalystApi.bind(address, port, token(System.getenv()));
        } catch (final RuntimeException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
