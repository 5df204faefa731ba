package io.curriculum.tools.replay;

import io.curriculum.app.runtime.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The directory a replay works in: the embedded broker's data ({@code kafka/}), the Kafka Streams state
 * ({@code streams/}), the sorted chunks of the history ({@code sort/}) and a description of the replay
 * ({@value #MANIFEST}: its id, whether it may be resumed, the history file it replays).
 *
 * <p>Two kinds. A <em>temporary</em> one ({@link #temporary}, a new {@code detector-replay-*} directory under the system
 * temporary directory) serves a replay without an id of the user's: it is deleted however the replay ends, and one
 * that a killed process left behind is removed by the next replay ({@link #removeAbandoned}). A <em>resumable</em> one
 * ({@link #resumable}) belongs to one replay id: it is kept when the replay does not end (interrupted, failed, killed), so
 * that the same command continues it, and deleted once the replay has ended.
 *
 * <p>A work directory serves one replay process at a time: it holds an exclusive lock on {@value #LOCK} while it
 * works, which the operating system releases when the process dies, even by {@code kill -9}. A lock that can be taken
 * therefore means that its owner is gone; the process id in {@value #MANIFEST} only names it in messages. The directories
 * this process holds are also known in memory and never opened again while held: on Linux, closing any channel to a
 * locked file would release this process's lock on it.
 */
public final class ReplayWorkDir implements AutoCloseable {

    /** The prefix of temporary work directories under the system temporary directory. */
    public static final String TEMPORARY_PREFIX = "detector-replay-";
    /** The folder, under the system temporary directory, that holds a resumable work directory per replay id by default. */
    public static final String RESUMABLE_PARENT = "detector-replays";
    static final String MANIFEST = "replay.properties";
    static final String LOCK = ".replay.lock";
    /** The work directories this process holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final String replayId;
    private final boolean resumable;
    private final boolean existed;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private ReplayWorkDir(final Path dir, final String replayId, final boolean resumable, final boolean existed,
                          final FileChannel channel, final FileLock lock) {
        this.dir = dir;
        this.replayId = replayId;
        this.resumable = resumable;
        this.existed = existed;
        this.channel = channel;
        this.lock = lock;
        HELD.add(dir);
    }

    /** What a work directory records of the history it replays, so that a resume refuses another file. */
    public record Source(Path history, long bytes, long modifiedMillis, boolean assumeSorted) {

        /** The history file as it is now. */
        public static Source of(final Path history, final boolean assumeSorted) {
            try {
                return new Source(history.toAbsolutePath(), Files.size(history), Files.getLastModifiedTime(history).toMillis(), assumeSorted);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read the size of " + history + ": " + e.getMessage(), e);
            }
        }

        /** True when {@code other} is the same file content as far as size and modification time tell, read the same way. */
        boolean sameAs(final Source other) {
            return bytes == other.bytes && modifiedMillis == other.modifiedMillis && assumeSorted == other.assumeSorted;
        }

        String describe() {
            return history + " (" + bytes + " bytes, modified " + Instant.ofEpochMilli(modifiedMillis) + ", "
                    + (assumeSorted ? "--assume-sorted" : "sorted by event time") + ")";
        }
    }

    /** The default place of the resumable work directory of {@code replayId}: {@code <tempRoot>/detector-replays/<replayId>}. */
    public static Path defaultResumable(final Path tempRoot, final String replayId) {
        return tempRoot.resolve(RESUMABLE_PARENT).resolve(replayId);
    }

    /** A new temporary work directory {@code <tempRoot>/detector-replay-*} for the replay {@code replayId}, locked. */
    public static ReplayWorkDir temporary(final Path tempRoot, final String replayId, final Source source) {
        final Path dir;
        try {
            Files.createDirectories(tempRoot);
            dir = Files.createTempDirectory(tempRoot.toAbsolutePath(), TEMPORARY_PREFIX);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a work directory for the replay under " + tempRoot + ": " + e.getMessage(), e);
        }
        final ReplayWorkDir work = lockNew(dir, replayId, false);
        work.writeManifest(source);
        return work;
    }

    /**
     * The work directory {@code dir} of the replay {@code replayId}, locked: created when it does not exist (or is empty),
     * else the one an earlier run of the same replay left, to be resumed ({@link #existed()}).
     *
     * @param resumable whether it is kept when the replay does not end (false: deleted however it ends)
     * @throws ReplayRefusedException when another process works in {@code dir}, when it holds another replay or another
     *                          history, or files that are not a replay's
     */
    public static ReplayWorkDir open(final Path dir, final String replayId, final boolean resumable, final Source source) {
        final Path absolute = dir.toAbsolutePath();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new ReplayRefusedException(absolute + " is not a directory");
        }
        if (!Files.exists(absolute.resolve(MANIFEST))) {
            if (!isEmpty(absolute)) {
                throw new ReplayRefusedException(absolute + " holds files that are not a replay's: give a new or empty directory");
            }
            final ReplayWorkDir work = lockNew(absolute, replayId, resumable);
            work.writeManifest(source);
            return work;
        }
        final Properties manifest = readManifest(absolute);
        final FileChannel channel = HELD.contains(absolute) ? null : openLockFile(absolute.resolve(LOCK));
        final FileLock lock = channel == null ? null : tryLock(channel, absolute);
        if (lock == null) {
            if (channel != null) {
                closeQuietly(channel);
            }
            throw new ReplayRefusedException(absolute + " is in use by replay " + manifest.getProperty("replay.id", "?") + " (pid "
                    + manifest.getProperty("pid", "?") + "): wait for it to end, or stop it");
        }
        final String kept = manifest.getProperty("replay.id", "");
        // what a replay without an id of its own left when it was killed has nothing to resume: it is emptied
        final boolean keptResumable = Boolean.parseBoolean(manifest.getProperty("resumable", "false"));
        final ReplayWorkDir work = new ReplayWorkDir(absolute, replayId, resumable, keptResumable, channel, lock);
        try {
            if (!keptResumable) {
                work.wipe();
                work.writeManifest(source);
                return work;
            }
            if (!kept.equals(replayId)) {
                throw new ReplayRefusedException(absolute + " holds replay " + kept + ", which 'replay FILE --replay-id " + kept
                        + "' resumes: give another directory, or delete it to discard that replay");
            }
            final Source keptSource = new Source(Path.of(manifest.getProperty("history", "?")),
                    Long.parseLong(manifest.getProperty("history.bytes", "-1")), Long.parseLong(manifest.getProperty("history.modified", "-1")),
                    Boolean.parseBoolean(manifest.getProperty("assume.sorted", "false")));
            if (!keptSource.sameAs(source)) {
                throw new ReplayRefusedException("replay " + replayId + " in " + absolute + " was started on " + keptSource.describe()
                        + ", not on " + source.describe() + ": give another --replay-id, or delete " + absolute + " to start it over");
            }
            work.writeManifest(source);
            return work;
        } catch (final RuntimeException e) {
            work.release();
            throw e;
        }
    }

    /**
     * Removes every temporary work directory under {@code tempRoot} whose replay process is gone (its lock is free),
     * telling {@code say} about each; leaves alone those in use and those it cannot tell about.
     */
    public static List<Path> removeAbandoned(final Path tempRoot, final Consumer<String> say) {
        final List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(tempRoot)) {
            return removed;
        }
        final List<Path> candidates;
        try (Stream<Path> entries = Files.list(tempRoot)) {
            candidates = entries.map(Path::toAbsolutePath).filter(p -> p.getFileName().toString().startsWith(TEMPORARY_PREFIX)
                    && Files.isDirectory(p) && Files.exists(p.resolve(LOCK)) && !HELD.contains(p)).toList();
        } catch (final IOException e) {
            return removed;
        }
        for (final Path dir : candidates) {
            final FileChannel channel;
            try {
                channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (final IOException e) {
                continue;
            }
            try {
                final FileLock lock = tryLock(channel, dir);
                if (lock == null) {
                    continue;
                }
                final Properties manifest = readManifest(dir);
                Directories.deleteQuietly(dir);
                removed.add(dir);
                say.accept("removed " + dir + ", left by replay " + manifest.getProperty("replay.id", "?") + " (pid "
                        + manifest.getProperty("pid", "?") + "), which did not end");
            } finally {
                closeQuietly(channel);
            }
        }
        return removed;
    }

    public Path dir() {
        return dir;
    }

    /** Where the embedded broker keeps its data. */
    public Path kafka() {
        return dir.resolve("kafka");
    }

    /** The Kafka Streams state directory. */
    public Path streams() {
        return dir.resolve("streams");
    }

    /** Where the history's sorted chunks go while it is sorted. */
    public Path sort() {
        return dir.resolve("sort");
    }

    /** True when it is kept when the replay does not end, so that the same replay id resumes it. */
    public boolean resumable() {
        return resumable;
    }

    /** True when an earlier run of the same replay left it: the replay continues where that one stopped. */
    public boolean existed() {
        return existed;
    }

    /**
     * Deletes the directory: the replay has ended, or it was a temporary one. The folder of resumable work directories
     * at their default place goes too once it is empty.
     */
    public void delete() {
        if (closed) {
            return;
        }
        Directories.deleteQuietly(dir);
        release();
        final Path parent = dir.getParent();
        if (parent != null && parent.getFileName().toString().equals(RESUMABLE_PARENT)) {
            try {
                Files.deleteIfExists(parent);
            } catch (final IOException e) {
                // another replay's work directory is in it
            }
        }
    }

    /**
     * Ends the use of this directory after the replay: {@code ended} deletes it, and so does the end of a temporary one
     * whatever happened; a resumable one of a replay that did not end is kept, unlocked, for the next run.
     */
    public void finish(final boolean ended) {
        if (ended || !resumable) {
            delete();
        } else {
            release();
        }
    }

    /** Releases the lock without deleting anything. */
    @Override
    public void close() {
        release();
    }

    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        HELD.remove(dir);
        try {
            lock.release();
        } catch (final IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    /** Deletes everything but the lock file. */
    private void wipe() {
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> !p.getFileName().toString().equals(LOCK)).forEach(Directories::deleteQuietly);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot empty the work directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void writeManifest(final Source source) {
        final Properties manifest = new Properties();
        manifest.setProperty("replay.id", replayId);
        manifest.setProperty("resumable", String.valueOf(resumable));
        manifest.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
        manifest.setProperty("history", source.history().toString());
        manifest.setProperty("history.bytes", String.valueOf(source.bytes()));
        manifest.setProperty("history.modified", String.valueOf(source.modifiedMillis()));
        manifest.setProperty("assume.sorted", String.valueOf(source.assumeSorted()));
        final Path written = dir.resolve(MANIFEST + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(written)) {
                manifest.store(out, "the work directory of a replay (README: Replay)");
            }
            Files.move(written, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    private static Properties readManifest(final Path dir) {
        final Properties manifest = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(MANIFEST))) {
            manifest.load(in);
        } catch (final IOException e) {
            // an unreadable description: the messages say "?"
        }
        return manifest;
    }

    /**
     * Creates {@code dir} and takes its lock before anything else is in it: the lock file is locked under a temporary name
     * and then moved into place, so another process that finds {@value #LOCK} finds it locked.
     */
    private static ReplayWorkDir lockNew(final Path dir, final String replayId, final boolean resumable) {
        try {
            Files.createDirectories(dir);
            final Path pending = Files.createTempFile(dir, LOCK, ".new");
            final FileChannel channel = openLockFile(pending);
            final FileLock lock = tryLock(channel, dir);
            if (lock == null) {
                closeQuietly(channel);
                throw new ReplayRefusedException(dir + " is in use by another replay");
            }
            Files.move(pending, dir.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
            return new ReplayWorkDir(dir, replayId, resumable, false, channel, lock);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel openLockFile(final Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lock, or null when another process (or this one) holds it. */
    private static FileLock tryLock(final FileChannel channel, final Path dir) {
        try {
            return channel.tryLock();
        } catch (final OverlappingFileLockException e) {
            return null;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot lock the work directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(final Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (final IOException e) {
            // nothing left to release
        }
    }
}
