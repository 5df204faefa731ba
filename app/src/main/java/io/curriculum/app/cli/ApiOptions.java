package io.curriculum.app.cli;

import io.curriculum.app.api.AnalystApi;
import picocli.CommandLine.Option;

/** Where the analysts' API listens, shared by the commands that keep a detector running. */
final class ApiOptions {

    @Option(names = "--api-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address of the analysts' API (/api/...). Default: ${DEFAULT-VALUE} (loopback only; 0.0.0.0 for every interface, "
                    + "then set application.server to an address the other instances can reach).")
    String address;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8090",
            description = "Port of the analysts' API (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--no-api", description = "Serve no analysts' API.")
    boolean disabled;

    /** Binds the API's address, or returns null when disabled. */
    AnalystApi bind() {
        if (disabled) {
            return null;
        }
        try {
            return AnalystApi.bind(address, port);
        } catch (final RuntimeException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
