package io.curriculum.app.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary directories the commands work in. */
public final class Directories {

    private Directories() {
    }

    /** Deletes a directory and everything in it, as far as it can: a temporary directory left behind is harmless. */
    public static void deleteQuietly(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
