package io.curriculum.tools.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.serde.JsonSerde;
import io.curriculum.tools.history.BadLine;
import io.curriculum.tools.history.HistoryReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code --rejects-out}: every line of a history that was not processed, as JSON Lines, one object per line:
 * {@code {"line":12,"stage":"read","reason":"fields","detail":"...","original":"..."}}. First the lines the reader
 * rejected ({@code stage} {@code read}), in file order, as they are found; then, once the detector has caught up, the rows it
 * dead-lettered ({@code stage} {@code detector}, {@code reason} the dead-letter reason), in file order. {@code original} is
 * the line's bytes, escaped as {@link BadLine#escaped()} says (a dead-lettered row's line is read back from the file).
 */
final class RejectsFile implements AutoCloseable {

    private final Path file;
    private final BufferedWriter out;
    private long written;

    RejectsFile(final Path file) {
        this.file = file;
        try {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the rejected lines to " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized void badLine(final BadLine line) {
        write(line.line(), "read", line.code(), line.reason(), line.escaped());
    }

    /** Writes the dead-lettered rows, each with its line read back from {@code history}. */
    synchronized void deadLetters(final Path history, final List<AlertCollector.DeadLetter> letters) {
        final List<AlertCollector.DeadLetter> sorted = new ArrayList<>(letters);
        sorted.sort(Comparator.comparingLong(AlertCollector.DeadLetter::line));
        try (InputStream in = HistoryReader.content(history)) {
            final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            long line = 0;
            int b = 0;
            for (final AlertCollector.DeadLetter letter : sorted) {
                while (line < letter.line() && b >= 0) {
                    buffer.reset();
                    for (b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                        buffer.write(b);
                    }
                    line++;
                }
                byte[] bytes = line == letter.line() ? buffer.toByteArray() : new byte[0];
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    bytes = Arrays.copyOf(bytes, bytes.length - 1);
                }
                write(letter.line(), "detector", letter.reason(), letter.detail(), BadLine.of("", letter.line(), "", "", bytes).escaped());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + history + " back for the rejected lines: " + e.getMessage(), e);
        }
    }

    private void write(final long line, final String stage, final String reason, final String detail, final String original) {
        final ObjectNode node = JsonSerde.MAPPER.createObjectNode();
        node.put("line", line);
        node.put("stage", stage);
        node.put("reason", reason);
        node.put("detail", detail);
        node.put("original", original);
        try {
            out.write(JsonSerde.MAPPER.writeValueAsString(node));
            out.write('\n');
            written++;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the rejected lines to " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized long written() {
        return written;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the rejected lines to " + file + ": " + e.getMessage(), e);
        }
    }
}
