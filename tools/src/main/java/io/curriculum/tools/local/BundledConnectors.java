package io.curriculum.tools.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of the repository's {@code connectors/} folder (connector JSON, {@code schema.sql}, {@code grants.sql}),
 * which the build packages into the application's jar under {@code connectors/}: what the demo and the throwaway
 * MariaDB run, byte for byte the files production uses, without a clone of the repository at run time.
 */
public final class BundledConnectors {

    public static final String SCHEMA = "schema.sql";
    public static final String GRANTS = "grants.sql";
    public static final String MARIADB = "mariadb.json";

    private BundledConnectors() {
    }

    /** The text of {@code connectors/<name>} from the classpath. */
    public static String read(final String name) {
        try (InputStream in = BundledConnectors.class.getResourceAsStream("/connectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("connectors/" + name + " is not in the application's jar: rebuild it (mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read connectors/" + name + " from the application's jar", e);
        }
    }

    /** Writes {@code connectors/<name>} into {@code dir} (created if missing) and returns the file. */
    public static Path copy(final String name, final Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), read(name));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
