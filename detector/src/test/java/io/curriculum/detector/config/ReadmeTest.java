package io.curriculum.detector.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.decode.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README (with README-analysts.md until it is merged) is part of the contract: every configuration key with its default, and every dead-letter reason. */
class ReadmeTest {

    private static String readme() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above " + Path.of("").toAbsolutePath()).isNotNull();
        // README-analysts.md holds the analysts' section until it is merged into README.md
        final Path analysts = dir.resolve("README-analysts.md");
        return Files.readString(dir.resolve("README.md")) + (Files.exists(analysts) ? Files.readString(analysts) : "");
    }

    @Test
    void shouldDocumentEveryConfigurationKeyWithItsDefault() throws IOException {
        final String readme = readme();
        for (final Setting setting : Setting.values()) {
            final String row = "| `" + setting.key() + "` | " + (setting.defaultValue().isEmpty() ? "" : "`" + setting.defaultValue() + "`");
            assertThat(readme).as(setting.key()).contains(row);
        }
    }

    @Test
    void shouldDocumentEveryDeadLetterReason() throws IOException {
        final String readme = readme();
        for (final RejectReason reason : RejectReason.values()) {
            assertThat(readme).contains("`" + reason.code() + "`");
        }
    }
}
