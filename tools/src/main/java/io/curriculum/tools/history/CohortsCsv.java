package io.curriculum.tools.history;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the cohorts table as MySQL exports it to CSV: a header naming the columns
 * ({@code id,name,slack,start_date,end_date,created_at,updated_at,deleted_at,program_id}, in any order),
 * quoted or bare values, and the literal {@code NULL} for a null. The real table ships with the application
 * ({@link #bundled()}); any other file in the same format can replace it.
 */
public final class CohortsCsv {

    private static final String BUNDLED = "/cohorts.csv";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final List<String> REQUIRED = List.of("id", "name", "start_date", "end_date", "program_id");

    private CohortsCsv() {
    }

    /** The real cohorts table (53 rows) that ships with the application. */
    public static List<CohortRow> bundled() {
        try (InputStream in = CohortsCsv.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + BUNDLED + " is missing from the classpath");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), "bundled cohorts.csv");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a cohorts CSV file; a missing file or a bad row is a {@link HistoryFormatException} naming the file and line. */
    public static List<CohortRow> read(final Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (final NoSuchFileException e) {
            throw new HistoryFormatException("cohorts file " + file + " does not exist");
        } catch (final IOException e) {
            throw new HistoryFormatException("cannot read cohorts file " + file + ": " + e.getMessage());
        }
    }

    static List<CohortRow> read(final Reader reader, final String source) throws IOException {
        final CsvMapper mapper = new CsvMapper();
        final List<CohortRow> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader().withNullValue("NULL"))
                .readValues(reader)) {
            int next = 2; // the line after the header: where the first row starts; each row starts where the previous ended
            while (it.hasNextValue()) {
                final Map<String, String> row = it.nextValue();
                final int line = next;
                next = it.getCurrentLocation().getLineNr();
                if (row.values().stream().allMatch(value -> value == null || value.isBlank())) {
                    continue; // a blank line
                }
                final CsvSchema header = ((CsvParser) it.getParser()).getSchema();
                for (final String column : REQUIRED) {
                    if (header.column(column) == null) {
                        throw new HistoryFormatException(source + ": no column '" + column + "'; expected the header "
                                + "id,name,slack,start_date,end_date,created_at,updated_at,deleted_at,program_id");
                    }
                }
                rows.add(parse(row, source, line));
            }
        } catch (final RuntimeJsonMappingException e) {
            throw new HistoryFormatException(source + ": not a cohorts CSV: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new HistoryFormatException(source + ": no cohorts in the file");
        }
        return List.copyOf(rows);
    }

    private static CohortRow parse(final Map<String, String> row, final String source, final int line) {
        try {
            return new CohortRow(
                    Integer.parseInt(required(row, "id")),
                    required(row, "name"),
                    row.get("slack"),
                    LocalDate.parse(required(row, "start_date")),
                    LocalDate.parse(required(row, "end_date")),
                    datetime(row, "created_at"),
                    datetime(row, "updated_at"),
                    datetime(row, "deleted_at"),
                    Integer.parseInt(required(row, "program_id")));
        } catch (final NumberFormatException | DateTimeParseException e) {
            throw new HistoryFormatException(source + " line " + line + ": " + e.getMessage());
        }
    }

    /**
     * A DATETIME column as exported ({@code 2016-06-14 19:52:26}), null when empty: checked here, because a replay
     * turns it into epoch milliseconds and a bad value would only fail there, mid-replay.
     */
    private static String datetime(final Map<String, String> row, final String column) {
        final String value = row.get(column);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDateTime.parse(value.trim(), DATETIME);
        } catch (final DateTimeParseException e) {
            throw new DateTimeParseException("column '" + column + "' must read yyyy-MM-dd HH:mm:ss, not '" + value + "'",
                    value, e.getErrorIndex(), e);
        }
        return value.trim();
    }

    private static String required(final Map<String, String> row, final String column) {
        final String value = row.get(column);
        if (value == null || value.isBlank()) {
            throw new NumberFormatException("column '" + column + "' is empty");
        }
        return value.trim();
    }
}
