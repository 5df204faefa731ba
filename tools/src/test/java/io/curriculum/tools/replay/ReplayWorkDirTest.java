package io.curriculum.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a replay's work directory lets a replay do: resume its own, refuse another's, and remove what a dead replay left. */
class ReplayWorkDirTest {

    @TempDir
    Path dir;
    private Path history;

    @BeforeEach
    void writeHistory() throws IOException {
        history = Files.writeString(dir.resolve("history.txt"), "2019-03-03 22:52:05 javascript-i/functions 341 29.0 204.44.112.76\n");
    }

    @Test
    void shouldResumeTheSameReplayOfTheSameFileAndDeleteItsDirectoryOnceEnded() {
        // given a resumable work directory its replay did not end in
        final Path work = ReplayWorkDir.defaultResumable(dir.resolve("tmp"), "backfill");
        try (ReplayWorkDir first = ReplayWorkDir.open(work, "backfill", true, source())) {
            assertThat(first.existed()).isFalse();
            first.finish(false);
        }
        assertThat(work.resolve("replay.properties")).exists();

        // when the same replay opens it again and ends
        final ReplayWorkDir again = ReplayWorkDir.open(work, "backfill", true, source());

        // then it continues the earlier run, and its end removes the directory and the empty folder of replays
        assertThat(again.existed()).isTrue();
        again.finish(true);
        assertThat(work).doesNotExist();
        assertThat(work.getParent()).doesNotExist();
    }

    @Test
    void shouldRefuseAnotherFileAnotherReplayAForeignDirectoryAndOneInUse() throws IOException {
        // given a work directory replay "backfill" left
        final Path work = dir.resolve("work");
        ReplayWorkDir.open(work, "backfill", true, source()).finish(false);

        // when the file changes, then the same id is refused, naming both files
        Files.setLastModifiedTime(history, FileTime.fromMillis(Files.getLastModifiedTime(history).toMillis() + 60_000));
        assertThatThrownBy(() -> ReplayWorkDir.open(work, "backfill", true, source())).isInstanceOf(ReplayRefusedException.class)
                .hasMessageContaining("replay backfill in " + work + " was started on " + history).hasMessageContaining("give another --replay-id");

        // when another replay id asks for it, then it is refused, naming the one that resumes it
        assertThatThrownBy(() -> ReplayWorkDir.open(work, "other", true, source())).isInstanceOf(ReplayRefusedException.class)
                .hasMessageContaining("holds replay backfill, which 'replay FILE --replay-id backfill' resumes");

        // when a directory holds files that are not a replay's, then it is refused
        final Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> ReplayWorkDir.open(foreign, "backfill", true, source())).isInstanceOf(ReplayRefusedException.class)
                .hasMessageContaining("holds files that are not a replay's");
        assertThat(foreign.resolve("notes.txt")).exists();

        // when a replay works in it, then a second one is refused
        try (ReplayWorkDir inUse = ReplayWorkDir.open(dir.resolve("busy"), "busy", true, source())) {
            assertThatThrownBy(() -> ReplayWorkDir.open(inUse.dir(), "busy", true, source())).isInstanceOf(ReplayRefusedException.class)
                    .hasMessageContaining("is in use by replay busy (pid " + ProcessHandle.current().pid() + ")");
        }
    }

    @Test
    void shouldRemoveOnlyTheTemporaryDirectoriesWhoseReplayIsGone() {
        // given a temporary work directory in use, one whose replay is gone, and a resumable one
        final Path tmp = dir.resolve("tmp");
        final ReplayWorkDir inUse = ReplayWorkDir.temporary(tmp, "replay-running", source());
        final ReplayWorkDir gone = ReplayWorkDir.temporary(tmp, "replay-killed", source());
        final Path goneDir = gone.dir();
        gone.close(); // its lock released, as the death of its process releases it
        ReplayWorkDir.open(ReplayWorkDir.defaultResumable(tmp, "backfill"), "backfill", true, source()).finish(false);

        // when the next replay looks for what was left
        final List<String> said = new ArrayList<>();
        final List<Path> removed = ReplayWorkDir.removeAbandoned(tmp, said::add);

        // then only the directory of the replay that is gone is removed, and it says so
        assertThat(removed).containsExactly(goneDir);
        assertThat(goneDir).doesNotExist();
        assertThat(said).containsExactly("removed " + goneDir + ", left by replay replay-killed (pid " + ProcessHandle.current().pid()
                + "), which did not end");
        assertThat(inUse.dir()).isDirectory();
        assertThat(ReplayWorkDir.defaultResumable(tmp, "backfill")).isDirectory();
        inUse.delete();
        assertThat(inUse.dir()).doesNotExist();
    }

    private ReplayWorkDir.Source source() {
        return ReplayWorkDir.Source.of(history, false);
    }
}
