package io.curriculum.tools.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.curriculum.tools.history.HistoryFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The labels file: JSON Lines, one {@link Label} per line, written and read with one Jackson mapper. */
public final class Labels {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Labels() {
    }

    /** Reads a labels file; a missing file or a line that is not a label is a {@link HistoryFormatException}. */
    public static List<Label> read(final Path file) {
        final List<Label> labels = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    labels.add(MAPPER.readValue(line, Label.class));
                } catch (final JsonProcessingException e) {
                    throw new HistoryFormatException(file + " line " + lineNumber + ": not a label: " + e.getOriginalMessage());
                }
            }
        } catch (final NoSuchFileException e) {
            throw new HistoryFormatException("labels file " + file + " does not exist");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read labels file " + file, e);
        }
        return List.copyOf(labels);
    }

    static void write(final List<Label> labels, final Writer out) throws IOException {
        for (final Label label : labels) {
            out.write(MAPPER.writeValueAsString(label));
            out.write('\n');
        }
    }
}
