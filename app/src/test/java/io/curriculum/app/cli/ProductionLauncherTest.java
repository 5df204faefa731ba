package io.curriculum.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.app.runtime.LocalBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production launcher alone (this module, no Kafka server on its class path): run and rules, on a cluster of your own. */
class ProductionLauncherTest {

    @TempDir
    Path dir;

    @Test
    void shouldHaveNoEmbeddedBrokerOnItsClassPath() {
        assertThat(LocalBroker.starter()).isEmpty();
    }

    @Test
    void shouldOfferRunAndRulesOnly() {
        // when
        final CommandRun run = CommandRun.of("--help");

        // then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final String commands = run.out().substring(run.out().indexOf("Commands:"));
        assertThat(commands).contains("  run ", "  rules ").doesNotContain("replay", "demo", "generate", "explain");
    }

    @Test
    void shouldAskForAClusterWhenNoneIsGiven() {
        // when
        final CommandRun run = CommandRun.of("run", "--data-dir", dir.toString(), "--metrics-port", "0", "--api-port", "0");

        // then
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(Failures.USAGE);
        assertThat(run.err()).contains("no Kafka cluster given, and this launcher has no embedded broker: pass --bootstrap-servers");
    }
}
