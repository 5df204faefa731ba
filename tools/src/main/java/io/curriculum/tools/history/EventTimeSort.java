package io.curriculum.tools.history;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The rows of a history in event-time order, in bounded memory: an external merge sort. Rows are read in chunks of
 * {@code chunkRows}, each chunk sorted in memory; a history of one chunk is served from memory, a longer one is written
 * chunk by chunk to temporary files and merged. Rows of the same event time are ordered by their content (address, user,
 * path, cohort) and then by line, so the same rows in any file order come out in the same order. Without ids of their own
 * (the export format, CSV without {@code id}) the rows are numbered in that order, as the table's auto-increment ids
 * would be: the same rows in any order then replay identically.
 */
public final class EventTimeSort implements Iterator<EventTimeSort.Timed>, Closeable {

    /** Rows sorted in memory at once: about 60 MB of heap for typical rows. */
    public static final int CHUNK_ROWS = 250_000;

    /** A row with its event time (epoch milliseconds). */
    public record Timed(long time, HistoryRow row) {
    }

    private static final Comparator<Timed> ORDER = Comparator.comparingLong(Timed::time)
            .thenComparing(t -> t.row().ip())
            .thenComparing(t -> t.row().userId(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(t -> t.row().path())
            .thenComparing(t -> t.row().cohortId(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(t -> t.row().line());

    private final Path directory;
    private final boolean renumber;
    private final List<Chunk> chunks = new ArrayList<>();
    private final PriorityQueue<Chunk> heads = new PriorityQueue<>((a, b) -> ORDER.compare(a.head, b.head));
    private Iterator<Timed> inMemory;
    private long served;

    private EventTimeSort(final Path directory, final boolean renumber) {
        this.directory = directory;
        this.renumber = renumber;
    }

    /**
     * Reads every row of {@code reader} and sorts them; temporary files go to a new directory under {@code tempDir},
     * removed by {@link #close()}.
     */
    public static EventTimeSort of(final HistoryReader reader, final ZoneId zone, final Path tempDir, final int chunkRows) {
        final EventTimeSort sort;
        try {
            sort = new EventTimeSort(Files.createTempDirectory(tempDir, "history-sort-"), !reader.hasIds());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a directory to sort the history in under " + tempDir, e);
        }
        try {
            List<Timed> chunk = new ArrayList<>();
            while (reader.hasNext()) {
                final HistoryRow row = reader.next();
                chunk.add(new Timed(row.localTime().atZone(zone).toInstant().toEpochMilli(), row));
                if (chunk.size() >= chunkRows) {
                    sort.spill(chunk);
                    chunk = new ArrayList<>();
                }
            }
            chunk.sort(ORDER);
            if (sort.chunks.isEmpty()) {
                sort.inMemory = chunk.iterator();
            } else {
                if (!chunk.isEmpty()) {
                    sort.spill(chunk);
                }
                for (final Chunk c : sort.chunks) {
                    if (c.advance()) {
                        sort.heads.add(c);
                    }
                }
            }
            return sort;
        } catch (final IOException | RuntimeException e) {
            sort.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write the sorted chunks of the history under " + sort.directory, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The chunks written to disk (0 when the history was sorted in memory). */
    public int chunksOnDisk() {
        return chunks.size();
    }

    private void spill(final List<Timed> chunk) throws IOException {
        chunk.sort(ORDER);
        final Path file = directory.resolve("chunk-" + chunks.size());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (final Timed timed : chunk) {
                write(out, timed);
            }
        }
        chunks.add(new Chunk(file));
    }

    @Override
    public boolean hasNext() {
        return inMemory != null ? inMemory.hasNext() : !heads.isEmpty();
    }

    @Override
    public Timed next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final Timed timed;
        if (inMemory != null) {
            timed = inMemory.next();
        } else {
            final Chunk chunk = heads.poll();
            timed = chunk.head;
            try {
                if (chunk.advance()) {
                    heads.add(chunk);
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read a sorted chunk of the history back from " + chunk.file, e);
            }
        }
        served++;
        if (!renumber) {
            return timed;
        }
        final HistoryRow row = timed.row();
        return new Timed(timed.time(), new HistoryRow(served, row.line(), row.localTime(), row.path(), row.userId(), row.cohortId(), row.ip()));
    }

    @Override
    public void close() {
        for (final Chunk chunk : chunks) {
            chunk.close();
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            // a temporary directory: what is left of it goes with the others
        }
    }

    private static void write(final DataOutputStream out, final Timed timed) throws IOException {
        final HistoryRow row = timed.row();
        out.writeLong(timed.time());
        out.writeLong(row.id());
        out.writeLong(row.line());
        out.writeLong(row.localTime().toEpochSecond(ZoneOffset.UTC));
        out.writeInt(row.localTime().getNano());
        writeString(out, row.path());
        out.writeLong(row.userId() == null ? Long.MIN_VALUE : row.userId());
        out.writeBoolean(row.userId() != null);
        out.writeInt(row.cohortId() == null ? 0 : row.cohortId());
        out.writeBoolean(row.cohortId() != null);
        writeString(out, row.ip());
    }

    private static void writeString(final DataOutputStream out, final String text) throws IOException {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(final DataInputStream in) throws IOException {
        final byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A sorted chunk on disk, read one row ahead. */
    private static final class Chunk implements Closeable {
        final Path file;
        private DataInputStream in;
        Timed head;

        Chunk(final Path file) {
            this.file = file;
        }

        /** Reads the next row into {@link #head}; false (and closed) at the end. */
        boolean advance() throws IOException {
            if (in == null) {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            }
            final long time;
            try {
                time = in.readLong();
            } catch (final EOFException e) {
                close();
                return false;
            }
            final long id = in.readLong();
            final long line = in.readLong();
            final LocalDateTime local = LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
            final String path = readString(in);
            final long user = in.readLong();
            final Long userId = in.readBoolean() ? user : null;
            final int cohort = in.readInt();
            final Integer cohortId = in.readBoolean() ? cohort : null;
            final String ip = readString(in);
            head = new Timed(time, new HistoryRow(id, line, local, path, userId, cohortId, ip));
            return true;
        }

        @Override
        public void close() {
            try {
                if (in != null) {
                    in.close();
                }
            } catch (final IOException e) {
                // read to its end already
            }
        }
    }
}
