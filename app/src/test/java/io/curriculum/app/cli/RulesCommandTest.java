package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules publish}: what a user gets wrong is refused with the line and key, exit 2, before any broker is asked. */
class RulesCommandTest {

    @TempDir
    Path dir;

    private Path file(final String name, final String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldValidateARulesFileWithCheck() throws IOException {
        // given
        final Path rules = file("rules.json", "{\"machine-speed\": {\"version\": 2, \"settings\": {\"detector.burst.min-distinct-pages\": 25}},\n"
                + " \"lesson-band\": {\"version\": 1, \"simulate\": true, \"settings\": {\"detector.band.k\": 3}}}");

        // when
        final CommandRun run = CommandRun.of("rules", "publish", rules.toString(), "--check");

        // then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(rules + ": machine-speed version 2: valid", rules + ": lesson-band version 1 (simulated): valid");
    }

    @Test
    void shouldRefuseAValueOutOfRangeNamingTheLineAndKey() throws IOException {
        // given
        final Path rules = file("rules.json", "{\n  \"lesson-band\": {\n    \"version\": 3,\n    \"settings\": {\n      \"detector.band.k\": -1\n    }\n  }\n}\n");

        // when: no broker runs on that port, and none is needed to refuse the file
        final CommandRun run = CommandRun.of("rules", "publish", rules.toString(), "--bootstrap-servers", "127.0.0.1:1");

        // then
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("publish: " + rules + " line 5: lesson-band: ")
                .contains("detector.band.k").contains("expected a positive number").contains("nothing was published");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownKeySayingWhichKeysTheRuleTakes() throws IOException {
        final Path rules = file("rules.json", "{\"allowlist\": {\"version\": 1, \"settings\": {\"detector.allow-list\": \"10.0.0.1\"}}}");
        final CommandRun run = CommandRun.of("rules", "publish", rules.toString(), "--check");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("line 1: allowlist: unknown key 'detector.allow-list' for rule allowlist (it may set: detector.allowlist)");
    }

    @Test
    void shouldRefuseAMissingFileAndAMissingCommand() {
        final CommandRun missing = CommandRun.of("rules", "publish", dir.resolve("none.json").toString(), "--check");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("none.json: no such file");

        final CommandRun bare = CommandRun.of("rules");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("a rules command is required: publish or show");
    }
}
