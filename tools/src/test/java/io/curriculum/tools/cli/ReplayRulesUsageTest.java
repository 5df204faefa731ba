package io.curriculum.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay --rules CANDIDATE.json --compare}: what a user gets wrong is refused with the line and key, exit 2, before any broker starts. */
class ReplayRulesUsageTest {

    @TempDir
    Path dir;

    private Path file(final String name, final String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldRefuseCompareWithoutCandidateRulesAndWithAnInvalidOne() throws IOException {
        // given
        final Path history = file("history.txt", "2018-01-26 09:55:03 / 1 8.0 97.105.19.61\n");

        // when / then: --compare alone
        final CommandRun alone = CommandRun.of("replay", history.toString(), "--compare");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("--compare needs --rules CANDIDATE.json");

        // and an invalid candidate, refused before any broker starts
        final Path rules = file("candidate.json", "{\"machine-speed\": {\"version\": 1, \"settings\": {\"detector.crawl.slots\": 0}}}");
        final CommandRun invalid = CommandRun.of("replay", history.toString(), "--rules", rules.toString(), "--compare");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).contains("line 1: machine-speed: ").contains("detector.crawl.slots");
        assertThat(invalid.err()).doesNotContain("embedded Kafka broker");

        // and --compare with an output of a single replay
        final Path valid = file("valid.json", "{\"machine-speed\": {\"version\": 1}}");
        final CommandRun withReport = CommandRun.of("replay", history.toString(), "--rules", valid.toString(), "--compare", "--report", "r.html");
        assertThat(withReport.exitCode()).isEqualTo(2);
        assertThat(withReport.err()).contains("takes no --replay-id, --report or --alerts-out");
    }
}
