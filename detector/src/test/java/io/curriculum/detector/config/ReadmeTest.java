package io.curriculum.detector.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.decode.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README is part of the contract: every configuration key with its default, and every dead-letter reason. */
class ReadmeTest {

    private static String readme() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return Files.readString(dir.resolve("README.md"));
    }

    @Test
    void shouldDocumentEveryConfigurationKeyWithItsDefaultAndItsMeaning() throws IOException {
        final List<String> lines = readme().lines().toList();
        for (final Setting setting : Setting.values()) {
            final String start = "| `" + setting.key() + "` | ";
            final List<String> rows = lines.stream().filter(line -> line.startsWith(start)).toList();
            assertThat(rows).as("the Configuration row of " + setting.key()).hasSize(1);
            final String rest = rows.get(0).substring(start.length());
            final String[] cells = rest.startsWith("| ") ? new String[] {"", rest.substring(2)} : rest.split(" \\| ", 2);
            if (!setting.defaultValue().isEmpty()) {
                assertThat(cells[0]).as("default of " + setting.key()).isEqualTo("`" + setting.defaultValue() + "`");
            }
            // the meaning is Setting.doc(), the README adding only code spans and links
            final String meaning = cells[1].replaceFirst(" \\|$", "").replaceAll("\\[([^]]+)]\\([^)]+\\)", "$1").replace("`", "");
            assertThat(meaning).as("meaning of " + setting.key()).isEqualTo(setting.doc());
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
