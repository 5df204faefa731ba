package io.curriculum.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.curriculum.detector.detect.Lessons;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.CohortsCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A generated history file read back line by line, checked against the export format as it is read. */
record GeneratedHistory(List<Request> requests) {

    static final ZoneId CAMPUS = ZoneId.of("America/Chicago");
    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}) (\\S+) (\\d+) (\\d+\\.0|NaN) (\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})");

    /** One line: its campus day, event time (epoch seconds), and the reader's program as the detector sees it. */
    record Request(LocalDate day, long time, String path, long userId, Integer cohortId, int programId, String ip, String lesson) {
    }

    static GeneratedHistory read(final Path file) throws IOException {
        final Map<Integer, Integer> programOf = new HashMap<>();
        for (final CohortRow c : CohortsCsv.bundled()) {
            programOf.put(c.id(), c.programId());
        }
        final List<Request> requests = new ArrayList<>();
        final List<String> bad = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            final Matcher m = LINE.matcher(line);
            if (!m.matches() || !isIpv4(m.group(6))) {
                bad.add(line);
                continue;
            }
            final LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
            if (CAMPUS.getRules().getValidOffsets(local).isEmpty()) {
                bad.add(line + " (no such campus time)");
            }
            final Integer cohort = m.group(5).equals("NaN") ? null : (int) Double.parseDouble(m.group(5));
            requests.add(new Request(local.toLocalDate(), local.atZone(CAMPUS).toEpochSecond(), m.group(3),
                    Long.parseLong(m.group(4)), cohort, cohort == null ? 0 : programOf.getOrDefault(cohort, 0),
                    m.group(6), Lessons.normalize(m.group(3))));
        }
        assertThat(bad).as("lines not in the export format").isEmpty();
        return new GeneratedHistory(List.copyOf(requests));
    }

    private static boolean isIpv4(final String ip) {
        for (final String octet : ip.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
