package io.curriculum.tools.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a history of page views, one request at a time, in any of the forms users have:
 * <ul>
 *   <li>the original export: {@code date time path user_id cohort_id ip}, space separated, no header,
 *   {@code cohort_id} as {@code 8.0} or {@code NaN};</li>
 *   <li>CSV exported from SQL: comma separated, values optionally quoted, {@code NULL} or empty for null, with a
 *   header naming the columns ({@code id} optional; any order) or without one in the table's column order
 *   ({@code id,date,time,path,user_id,cohort_id,ip}, or the same without {@code id}).</li>
 * </ul>
 * Either may be gzip-compressed (recognised by its content, not its name), with LF or CRLF line ends. A
 * {@code cohort_id} of {@code NaN}, {@code nan}, {@code NULL} or empty is no cohort; {@code 8} and {@code 8.0} are cohort 8.
 * The text is UTF-8: a byte that is not valid UTF-8 is read as U+FFFD (a path with such bytes is accepted with them
 * replaced, in every format alike). A line that is not a request is handed to the bad-line consumer with its line
 * number, its reason and its original bytes, and skipped; only a file that cannot be read at all is an error
 * ({@link HistoryFormatException}), and so is gzip data that is corrupt or cut short.
 */
public final class HistoryReader implements Iterator<HistoryRow>, Closeable {

    /** A longer line is cut to this many bytes (it is a bad line: no valid row comes near it). */
    private static final int MAX_LINE_BYTES = 1 << 20;
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final List<String> COLUMNS = List.of("id", "date", "time", "path", "user_id", "cohort_id", "ip");

    private final String source;
    private final Consumer<BadLine> badLines;
    private final InputStream in;
    private final BufferedReader reader;
    private final MappingIterator<List<String>> csv;
    private final int[] columns; // index of date, time, path, user_id, cohort_id, ip, id (-1: none) in a CSV row
    private long line;
    private long skipped;
    private byte[] current = new byte[0];
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(256);
    private final byte[] block = new byte[1 << 16];
    private int blockPosition;
    private int blockLength;
    private HistoryRow next;
    private boolean ended; // a CSV error the reading cannot go past
    private long lastErrorOffset = -1;

    private HistoryReader(final Path file, final Consumer<BadLine> badLines) throws IOException {
        this.source = file.toString();
        this.badLines = badLines;
        this.in = content(file);
        in.mark(1 << 15);
        final byte[] firstBytes = readLineBytes(in, new ByteArrayOutputStream(), 1 << 15);
        in.reset();
        final String first = firstBytes == null ? null : new String(firstBytes, StandardCharsets.UTF_8);
        if (first != null && first.indexOf(',') >= 0 && !isExportLine(first)) {
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            final List<String> header = headerFields(first);
            final boolean hasHeader = header.contains("path") && header.contains("ip");
            this.columns = hasHeader ? columnsOf(header) : columnsByCount(first.split(",", -1).length);
            if (hasHeader) {
                reader.readLine();
                line = 1;
                skipped = 1;
            }
            this.csv = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                    .readerForListOf(String.class)
                    .with(CsvSchema.emptySchema())
                    .readValues(reader);
        } else {
            this.reader = null;
            this.columns = null;
            this.csv = null;
        }
    }

    /**
     * The bytes of the next line without its end ({@code \n}, or {@code \r\n}: CRLF files read as LF files), null at the
     * end of the stream; at most {@code limit} bytes are kept of a longer line (the rest is read and dropped).
     */
    private static byte[] readLineBytes(final InputStream in, final ByteArrayOutputStream buffer, final int limit) throws IOException {
        buffer.reset();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (buffer.size() < limit) {
                buffer.write(b);
            }
            b = in.read();
        }
        return withoutCarriageReturn(buffer.toByteArray());
    }

    private static byte[] withoutCarriageReturn(final byte[] bytes) {
        return bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
    }

    /** The next line of the export format, as {@link #readLineBytes}, scanning a block buffer (a byte at a time is slow). */
    private byte[] nextLine() throws IOException {
        lineBuffer.reset();
        boolean any = false;
        while (true) {
            if (blockPosition >= blockLength) {
                blockLength = in.read(block);
                blockPosition = 0;
                if (blockLength <= 0) {
                    blockLength = 0;
                    return any ? withoutCarriageReturn(lineBuffer.toByteArray()) : null;
                }
            }
            any = true;
            int end = blockPosition;
            while (end < blockLength && block[end] != '\n') {
                end++;
            }
            final int room = MAX_LINE_BYTES - lineBuffer.size();
            lineBuffer.write(block, blockPosition, Math.max(0, Math.min(room, end - blockPosition)));
            if (end < blockLength) {
                blockPosition = end + 1;
                return withoutCarriageReturn(lineBuffer.toByteArray());
            }
            blockPosition = blockLength;
        }
    }

    private static List<String> headerFields(final String first) {
        return List.of(first.toLowerCase(Locale.ROOT).replace("\"", "").replace("`", "").trim().split("\\s*,\\s*"));
    }

    /** True when the first line of a file is a CSV header (naming at least the path and ip columns). */
    private static boolean isCsvHeader(final String first) {
        if (first == null || first.indexOf(',') < 0 || isExportLine(first)) {
            return false;
        }
        final List<String> header = headerFields(first);
        return header.contains("path") && header.contains("ip");
    }

    /**
     * The lines of a file that the reader will take for a row or a bad line: every non-blank line but a CSV header
     * (a byte scan, far cheaper than reading). For a progress total: rows produced = this count minus bad lines.
     * -1 when the file cannot be read (opening it then says why).
     */
    public static long countRowLines(final Path file) {
        try (InputStream in = content(file)) {
            final byte[] buffer = new byte[1 << 16];
            final ByteArrayOutputStream firstLine = new ByteArrayOutputStream();
            boolean inFirstLine = true;
            boolean content = false;
            long lines = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    final byte b = buffer[i];
                    if (b == '\n') {
                        if (content) {
                            lines++;
                        }
                        if (inFirstLine && content && isCsvHeader(firstLine.toString(StandardCharsets.UTF_8))) {
                            lines--;
                        }
                        inFirstLine = false;
                        content = false;
                    } else {
                        if (inFirstLine && firstLine.size() < (1 << 15)) {
                            firstLine.write(b);
                        }
                        if (b != ' ' && b != '\t' && b != '\r') {
                            content = true;
                        }
                    }
                }
            }
            if (content) {
                lines++;
                if (inFirstLine && isCsvHeader(firstLine.toString(StandardCharsets.UTF_8))) {
                    lines--;
                }
            }
            return lines;
        } catch (final IOException e) {
            return -1;
        }
    }

    /** An export line starts with its date, then a space; a CSV line cannot (its first field ends at a comma). */
    private static boolean isExportLine(final String text) {
        final String[] start = text.trim().split(" +", 2);
        if (start.length < 2 || start[0].indexOf(',') >= 0) {
            return false;
        }
        try {
            LocalDate.parse(start[0]);
            return true;
        } catch (final DateTimeParseException e) {
            return false;
        }
    }

    /** The bytes of a file, decompressed when it is gzip (recognised by its magic number, whatever its name). */
    public static InputStream content(final Path file) throws IOException {
        final InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        final boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    /**
     * Checks that a history file can be read, before anything is started for it: a missing file, a directory or a
     * file without read permission is a {@link HistoryFormatException} saying which.
     */
    public static void requireReadable(final Path file) {
        if (!Files.exists(file)) {
            throw new HistoryFormatException("history file " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new HistoryFormatException("history file " + file + " is a directory");
        }
        if (!Files.isReadable(file)) {
            throw new HistoryFormatException("history file " + file + " cannot be read: permission denied");
        }
    }

    /** Opens a history file; a missing or unreadable file is a {@link HistoryFormatException} saying so. */
    public static HistoryReader open(final Path file, final Consumer<BadLine> badLines) {
        try {
            requireReadable(file);
            return new HistoryReader(file, badLines);
        } catch (final ZipException | EOFException e) {
            throw corruptGzip(file.toString(), 0, e);
        } catch (final NoSuchFileException e) {
            throw new HistoryFormatException("history file " + file + " does not exist");
        } catch (final AccessDeniedException e) {
            throw new HistoryFormatException("history file " + file + " cannot be read: permission denied");
        } catch (final IOException e) {
            throw new HistoryFormatException("history file " + file + " cannot be read: " + e.getMessage());
        }
    }

    private int[] columnsOf(final List<String> header) {
        final int[] index = new int[COLUMNS.size()];
        for (int i = 0; i < COLUMNS.size(); i++) {
            index[i] = header.indexOf(COLUMNS.get(i));
            if (index[i] < 0 && !COLUMNS.get(i).equals("id")) {
                throw new HistoryFormatException(source + ": the CSV header has no column '" + COLUMNS.get(i) + "' (expected "
                        + String.join(",", COLUMNS) + "; id is optional)");
            }
        }
        return index;
    }

    private int[] columnsByCount(final int count) {
        if (count == 7) {
            return new int[] {0, 1, 2, 3, 4, 5, 6};
        }
        if (count == 6) {
            return new int[] {-1, 0, 1, 2, 3, 4, 5};
        }
        throw new HistoryFormatException(source + ": line 1 has " + count + " comma-separated fields and no header; expected "
                + "the export format (date time path user_id cohort_id ip, space separated) or CSV with the columns "
                + String.join(",", COLUMNS) + " (id optional)");
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null) {
                if (csv == null) {
                    final byte[] bytes = nextLine();
                    if (bytes == null) {
                        return false;
                    }
                    line++;
                    current = bytes;
                    final String text = new String(bytes, StandardCharsets.UTF_8);
                    if (text.isBlank()) {
                        skipped++;
                    } else {
                        next = exportLine(text);
                    }
                } else {
                    final List<String> fields;
                    try {
                        if (ended || !csv.hasNextValue()) {
                            return false;
                        }
                        fields = csv.nextValue();
                    } catch (final JsonProcessingException | RuntimeJsonMappingException e) {
                        line++;
                        notCsv(e);
                        continue;
                    }
                    line++;
                    if (fields.size() == 1 && fields.get(0).isBlank()) {
                        skipped++;
                    } else {
                        current = String.join(",", fields).getBytes(StandardCharsets.UTF_8);
                        next = csvLine(fields);
                    }
                }
            }
            return true;
        } catch (final ZipException | EOFException e) {
            throw corruptGzip(source, line, e);
        } catch (final IOException e) {
            throw new UncheckedIOException("reading " + source + " at line " + line, e);
        }
    }

    /**
     * A CSV record the parser rejects: a bad line. An unclosed quote swallows the rest of the file, so it ends the
     * reading; so does an error the parser cannot get past (it stays where it was).
     */
    private void notCsv(final Exception e) {
        final String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        final long offset = csv.getCurrentLocation().getCharOffset();
        if (message != null && message.startsWith("Missing closing quote")) {
            badLines.accept(BadLine.of(source, line, "unterminated-quote", "unterminated quote from line " + line + " to the end of the file", new byte[0]));
            ended = true;
        } else {
            badLines.accept(BadLine.of(source, line, "not-csv", "not CSV: " + message, new byte[0]));
            ended = offset == lastErrorOffset;
        }
        lastErrorOffset = offset;
    }

    private static HistoryFormatException corruptGzip(final String source, final long line, final IOException e) {
        return new HistoryFormatException("history file " + source + ": the gzip data is corrupt or truncated after line " + line
                + " (" + e.getMessage() + ")");
    }

    @Override
    public HistoryRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final HistoryRow row = next;
        next = null;
        return row;
    }

    /** Lines read so far (including the header and bad lines). */
    public long linesRead() {
        return line;
    }

    /** Lines read so far that are neither a row nor a bad line: blank lines and a CSV header. */
    public long linesSkipped() {
        return skipped;
    }

    /** True when the rows' ids are the file's own (a CSV {@code id} column), false when they are line numbers. */
    public boolean hasIds() {
        return columns != null && columns[0] >= 0;
    }

    private HistoryRow exportLine(final String text) {
        final String[] fields = SPACES.split(text.trim());
        if (fields.length < 6) {
            return bad("fields", "expected 6 space-separated fields (date time path user_id cohort_id ip), found " + fields.length);
        }
        // a path with spaces in it: everything between the time and the last three fields
        final String path = fields.length == 6 ? fields[2] : String.join(" ", List.of(fields).subList(2, fields.length - 3));
        final int n = fields.length;
        return row(line, fields[0], fields[1], path, fields[n - 3], fields[n - 2], fields[n - 1]);
    }

    private HistoryRow csvLine(final List<String> fields) {
        int needed = 0;
        for (final int index : columns) {
            needed = Math.max(needed, index + 1);
        }
        if (fields.size() < needed) {
            return bad("fields", "expected " + needed + " comma-separated fields, found " + fields.size());
        }
        final long id;
        if (columns[0] >= 0) {
            try {
                id = Long.parseLong(fields.get(columns[0]).trim());
            } catch (final NumberFormatException e) {
                return bad("id", "id is not a whole number: '" + fields.get(columns[0]) + "'");
            }
        } else {
            id = line;
        }
        return row(id, fields.get(columns[1]), fields.get(columns[2]), fields.get(columns[3]), fields.get(columns[4]),
                fields.get(columns[5]), fields.get(columns[6]));
    }

    private HistoryRow row(final long id, final String date, final String time, final String path, final String user,
                           final String cohort, final String ip) {
        final LocalDateTime local;
        try {
            local = LocalDate.parse(date.trim()).atTime(LocalTime.parse(time.trim()));
        } catch (final DateTimeParseException e) {
            return bad("date", "date and time must read yyyy-MM-dd HH:mm:ss: '" + date + " " + time + "'");
        }
        if (path.isEmpty() || isNull(path)) {
            return bad("path", "the path is empty");
        }
        final Long userId;
        try {
            userId = isNull(user) ? null : wholeNumber(user);
        } catch (final NumberFormatException e) {
            return bad("user-id", "user_id is not a whole number: '" + user + "'");
        }
        final Integer cohortId;
        try {
            cohortId = isNull(cohort) ? null : Math.toIntExact(wholeNumber(cohort));
        } catch (final NumberFormatException | ArithmeticException e) {
            return bad("cohort-id", "cohort_id is not a whole number (8, 8.0) or NaN: '" + cohort + "'");
        }
        if (ip.isBlank() || isNull(ip)) {
            return bad("ip", "the ip is empty");
        }
        return new HistoryRow(id, line, local, path, userId, cohortId, ip.trim());
    }

    /** {@code 8}, {@code 8.0} (how pandas writes a column with NaNs in it). */
    private static long wholeNumber(final String text) {
        final String trimmed = text.trim();
        final int dot = trimmed.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(trimmed);
        }
        for (int i = dot + 1; i < trimmed.length(); i++) {
            if (trimmed.charAt(i) != '0') {
                throw new NumberFormatException(trimmed);
            }
        }
        return Long.parseLong(trimmed.substring(0, dot));
    }

    private static boolean isNull(final String text) {
        final String trimmed = text.trim();
        return trimmed.isEmpty() || trimmed.equalsIgnoreCase("nan") || trimmed.equalsIgnoreCase("null") || trimmed.equals("\\N");
    }

    private HistoryRow bad(final String code, final String reason) {
        badLines.accept(BadLine.of(source, line, code, reason, current));
        return null;
    }

    /** Reads every row of a file (for tests and small files). */
    public static List<HistoryRow> readAll(final Path file, final Consumer<BadLine> badLines) {
        final List<HistoryRow> rows = new ArrayList<>();
        try (HistoryReader reader = open(file, badLines)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Override
    public void close() {
        try {
            if (csv != null) {
                csv.close();
            }
            if (reader != null) {
                reader.close();
            }
            in.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
