package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules publish} and {@code replay --rules}: what a user gets wrong is refused with the line and key, exit 2, before any broker is asked. */
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
