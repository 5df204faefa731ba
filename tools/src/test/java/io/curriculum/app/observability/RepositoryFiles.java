package io.curriculum.app.observability;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's plain folders (prometheus/, grafana/) from wherever the tests run. */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("prometheus"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no prometheus/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** A binary from a Debian package; the message says which package to install when it is missing. */
    static String binary(final String name, final String debianPackage) {
        final Path path = Path.of("/usr/bin", name);
        if (!Files.isExecutable(path)) {
            throw new AssertionError(name + " is not installed: apt-get install -y --no-install-recommends " + debianPackage
                    + " (.ci/run installs it)");
        }
        return path.toString();
    }
}
