package io.curriculum.detector.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Keeps the debt of this package in one place: the Kafka Streams internals it uses were checked against one version, and
 * no other code uses any.
 */
class KafkaStreamsInternalsTest {

    /** The Kafka Streams version whose commit sequence this package was checked against (see its package-info). */
    private static final String WRITTEN_AGAINST = "4.3.1";
    private static final String PACKAGE_DIR = "detector/src/main/java/io/curriculum/detector/streams/internals/";
    private static final List<String> MODULES = List.of("detector", "cdc", "app", "tools");
    /** An import of, or a qualified name in, either internals package. */
    private static final Pattern INTERNALS = Pattern.compile("org\\.apache\\.kafka\\.streams\\.(state|processor)\\.internals\\.");

    @Test
    void shouldRunOnTheKafkaStreamsVersionThisPackageWasCheckedAgainst() throws IOException {
        // given the version file inside the kafka-streams jar on the class path
        final Properties version = new Properties();
        try (InputStream in = KafkaStreams.class.getResourceAsStream("/kafka/kafka-streams-version.properties")) {
            assertThat(in).as("kafka/kafka-streams-version.properties in the kafka-streams jar").isNotNull();
            version.load(in);
        }

        // then it is the version MirroredStore's commit hook was checked against
        assertThat(version.getProperty("version"))
                .as("Kafka Streams on the class path is not " + WRITTEN_AGAINST + ", the version MirroredStore was checked against. Before "
                        + "upgrading, re-check in the new version's source that StreamTask.prepareCommit still calls "
                        + "ProcessorStateManager.flushCache() -> CachedStateStore.flushCache() before RecordCollector.flush() and the "
                        + "offset or transaction commit, that a dirty close still calls clearCache(), and that CachedStateStore and "
                        + "CacheFlushListener keep their signatures; run StateRestoreIT (module tools); then update WRITTEN_AGAINST "
                        + "here and the version in io.curriculum.detector.streams.internals' package-info")
                .isEqualTo(WRITTEN_AGAINST);
    }

    @Test
    void shouldImportKafkaStreamsInternalsOnlyInThisPackage() throws IOException {
        // given every module's main sources
        final Path root = repositoryRoot();
        final List<Path> sources = new ArrayList<>();
        for (final String module : MODULES) {
            final Path main = root.resolve(module).resolve("src/main/java");
            assertThat(main).as("sources of module " + module).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertThat(sources).as("main sources found").hasSizeGreaterThan(100);

        // when the files that import (or name) org.apache.kafka.streams.{state,processor}.internals are listed
        final List<String> offenders = new ArrayList<>();
        final List<String> here = new ArrayList<>();
        for (final Path file : sources) {
            if (INTERNALS.matcher(Files.readString(file)).find()) {
                final String relative = root.relativize(file).toString().replace('\\', '/');
                (relative.startsWith(PACKAGE_DIR) ? here : offenders).add(relative);
            }
        }

        // then only this package does (and it still does: else this test and the package have outlived their reason)
        assertThat(offenders).as("files outside " + PACKAGE_DIR + " that import Kafka Streams internals: use a public API, "
                + "or move the code into that package").isEmpty();
        assertThat(here).as("files of this package that use Kafka Streams internals").contains(PACKAGE_DIR + "MirroredStore.java");
    }

    /** The directory above the working directory that holds the reactor's pom.xml and the detector module. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("detector")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
