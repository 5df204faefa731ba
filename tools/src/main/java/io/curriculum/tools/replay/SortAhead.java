package io.curriculum.tools.replay;

import io.curriculum.tools.history.BadLine;
import io.curriculum.tools.history.EventTimeSort;
import io.curriculum.tools.history.HistoryReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A history read and sorted by event time ({@link EventTimeSort}) on a thread of its own, started before the replay's
 * broker and detector so that the two overlap: the sort's first pass reads the whole file before it can give a first row,
 * and the detector's start-up takes about as long. Bad lines found meanwhile are kept and handed, in order, to the
 * consumer {@link #rows} is given; after that they go to it as they are found.
 */
final class SortAhead implements AutoCloseable {

    /** The sorted rows and the reader behind them (its line counts are final once the rows are). */
    record Sorted(HistoryReader reader, EventTimeSort rows, Duration took) {
    }

    private final List<BadLine> early = new ArrayList<>();
    private Consumer<BadLine> badLines;
    private final CompletableFuture<Sorted> sorting;

    private SortAhead(final Path history, final ZoneId zone, final Path directory) {
        sorting = CompletableFuture.supplyAsync(() -> sort(history, zone, directory), runnable -> {
            final Thread thread = new Thread(runnable, "replay-sort");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Starts reading and sorting {@code history}, with its temporary chunks in {@code directory}. */
    static SortAhead start(final Path history, final ZoneId zone, final Path directory) {
        return new SortAhead(history, zone, directory);
    }

    private Sorted sort(final Path history, final ZoneId zone, final Path directory) {
        final long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + directory + " to sort the history in: " + e.getMessage(), e);
        }
        final HistoryReader reader = HistoryReader.open(history, this::badLine);
        try {
            final EventTimeSort rows = EventTimeSort.of(reader, zone, directory, EventTimeSort.CHUNK_ROWS);
            return new Sorted(reader, rows, Duration.ofNanos(System.nanoTime() - started));
        } catch (final RuntimeException | Error e) {
            reader.close();
            throw e;
        }
    }

    private synchronized void badLine(final BadLine line) {
        if (badLines == null) {
            early.add(line);
        } else {
            badLines.accept(line);
        }
    }

    /**
     * Waits for the sort to end and returns its rows; the bad lines found so far go to {@code consumer} first, and every
     * later one (the merge finds none: it reads its own chunks) as found.
     *
     * @throws RuntimeException what the sort threw (a file that cannot be read, a disk full)
     */
    Sorted rows(final Consumer<BadLine> consumer) throws InterruptedException {
        synchronized (this) {
            early.forEach(consumer);
            early.clear();
            badLines = consumer;
        }
        try {
            return sorting.get();
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Closes the sort's reader and chunks, waiting for a sort still running to end first (it cannot be cut short). */
    @Override
    public void close() {
        final Sorted sorted;
        try {
            sorted = sorting.handle((done, failed) -> done).join();
        } catch (final RuntimeException e) {
            return;
        }
        if (sorted != null) {
            try {
                sorted.rows().close();
            } finally {
                sorted.reader().close();
            }
        }
    }
}
