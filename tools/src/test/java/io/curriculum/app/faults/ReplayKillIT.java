package io.curriculum.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.curriculum.tools.cli.Launcher;
import io.curriculum.tools.generate.GeneratorSettings;
import io.curriculum.tools.generate.HistoryGenerator;
import io.curriculum.tools.history.CohortsCsv;
import io.curriculum.tools.replay.Replay;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --replay-id} in a JVM of its own on the embedded broker, paced so that producing takes seconds, killed
 * with {@code kill -9} once a random share of the rows is on its topic, then run again with the same command: it says
 * it resumes, produces only the rest (the summary counts every row once, nothing absorbed as a duplicate), writes the
 * same alerts file as an uninterrupted replay, byte for byte, and leaves no work directory behind.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReplayKillIT {

    private static final int ROWS = 20_000;
    private static final int DAYS = 14;
    /** Fourteen days of event time in about twelve seconds. */
    private static final String SPEED = "100000";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern RESUMING = Pattern.compile("resuming replay killed: ([0-9,]+) of ([0-9,]+) rows already produced");

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        ChildJvm.stop(process);
    }

    @Test
    void shouldWriteTheAlertsOfAnUninterruptedReplayWhenKilledMidReplayAndRunAgain() throws Exception {
        // given a generated history, and the alerts of an uninterrupted replay of it
        final Path history = dir.resolve("history.txt");
        new HistoryGenerator(new GeneratorSettings(11, ROWS, LocalDate.of(2019, 1, 7), DAYS, CohortsCsv.bundled(), ZoneId.of("America/Chicago")))
                .write(history, dir.resolve("labels.jsonl"));
        final Path expected = dir.resolve("uninterrupted.jsonl");
        assertThat(Launcher.execute("replay", history.toString(), "--replay-id", "uninterrupted", "--work-dir", dir.resolve("uninterrupted").toString(),
                "--alerts-out", expected.toString())).isZero();
        final List<String> expectedAlerts = Files.readAllLines(expected);
        assertThat(expectedAlerts).hasSizeGreaterThan(3);

        // when the same file is replayed under an id in its own JVM and killed -9 once a random share of its rows is produced
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path alerts = dir.resolve("alerts.jsonl");
        final int port = freePort();
        final long seed = System.nanoTime();
        final int killAt = (int) (ROWS * (0.15 + 0.55 * new Random(seed).nextDouble()));
        final String[] command = {"replay", history.toString(), "--replay-id", "killed", "--alerts-out", alerts.toString(),
                "--speed", SPEED, "--kafka-port", String.valueOf(port)};
        final Path firstLog = dir.resolve("first.log");
        process = ChildJvm.start(firstLog, List.of("-Djava.io.tmpdir=" + tmp), Map.of(), command);
        ChildJvm.awaitLog(process, firstLog, "replaying " + history, WAIT);
        final long atKill = awaitRowsOnTopic(port, killAt);
        ChildJvm.kill9(process);
        final Path work = tmp.resolve("detector-replays").resolve("killed");
        assertThat(work).as(() -> ChildJvm.read(firstLog)).isDirectory();
        System.out.printf("kill -9 with %,d of %,d rows on the topic (aimed at %,d, seed %d)%n", atKill, ROWS, killAt, seed);

        // and the same command runs again
        final Path secondLog = dir.resolve("second.log");
        final long restarted = System.nanoTime();
        process = ChildJvm.start(secondLog, List.of("-Djava.io.tmpdir=" + tmp), Map.of(), command);
        final int exit = ChildJvm.awaitExit(process, secondLog, WAIT);
        final String second = ChildJvm.read(secondLog);
        System.out.printf("the second run ended in %,d ms:%n%s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted),
                second.lines().filter(line -> !line.matches("^\\d\\d:\\d\\d:.*")).reduce("", (a, b) -> a + "  | " + b + "\n"));

        // then it resumed after the rows already on the topic, and produced each row once
        assertThat(exit).as(second).isZero();
        final Matcher resuming = RESUMING.matcher(second);
        assertThat(resuming.find()).as(second).isTrue();
        final long resumedAfter = Long.parseLong(resuming.group(1).replace(",", ""));
        assertThat(resumedAfter).as(second).isGreaterThanOrEqualTo(atKill).isLessThan(ROWS);
        assertThat(second).contains(String.format("rows processed    %,d of %,d produced (dead-lettered 0; duplicates absorbed 0)", ROWS, ROWS))
                .contains(String.format("resumed           after %,d rows produced by an earlier run", resumedAfter));

        // and its alerts are those of the uninterrupted replay, byte for byte
        assertThat(Files.readAllLines(alerts)).isEqualTo(expectedAlerts);
        assertThat(Files.readAllBytes(alerts)).isEqualTo(Files.readAllBytes(expected));

        // and no work directory is left behind
        assertThat(work).doesNotExist();
        assertThat(dir.resolve("uninterrupted")).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("left in java.io.tmpdir")
                    .noneMatch(name -> name.startsWith("detector-replay") || name.startsWith("history-sort-"));
        }
    }

    /** Waits until the replay's logs topic holds at least {@code rows} records; returns how many it holds then. */
    private static long awaitRowsOnTopic(final int port, final int rows) {
        final TopicPartition logs = new TopicPartition(Replay.topicsOf("killed").logs(), 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port))) {
            final long[] onTopic = {0};
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
                onTopic[0] = admin.listOffsets(Map.of(logs, OffsetSpec.latest())).partitionResult(logs).get(5, TimeUnit.SECONDS).offset();
                return onTopic[0] >= rows;
            });
            return onTopic[0];
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
