package io.curriculum.tools.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.InactiveStudentAlert;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.serde.AlertSerde;
import io.curriculum.detector.serde.JsonSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The difference between the alerts of two replays of one history (the current rules, the candidate rules), by alert id,
 * per rule ({@code ruleId}: machine-speed, lesson-band; an inactive-student alert counts as {@code inactive-student}):
 * alerts only the candidate raises (added), only the current raises (removed), and raised by both with other contents
 * (changed: the fields that differ, {@code ruleVersion} and {@code simulated} left out). Each alert is its latest record,
 * as {@code --alerts-out} writes it.
 */
public record AlertComparison(Map<String, PerRule> rules) {

    /** What changed for one rule. */
    public record PerRule(int current, int candidate, List<String> added, List<String> removed, List<Change> changed) {
    }

    /** An alert both raised, with the fields that differ: {@code field: current -> candidate}. */
    public record Change(String alertId, List<String> differences) {
    }

    private static final List<String> IGNORED = List.of("ruleVersion", "simulated");

    /** Compares two alerts files ({@code --alerts-out} JSON Lines). */
    public static AlertComparison of(final Path current, final Path candidate) {
        return of(read(current), read(candidate));
    }

    static AlertComparison of(final Map<String, AlertRecord> current, final Map<String, AlertRecord> candidate) {
        final TreeSet<String> rules = new TreeSet<>();
        current.values().forEach(alert -> rules.add(ruleOf(alert)));
        candidate.values().forEach(alert -> rules.add(ruleOf(alert)));
        final Map<String, PerRule> result = new LinkedHashMap<>();
        for (final String rule : rules) {
            final List<String> added = new ArrayList<>();
            final List<String> removed = new ArrayList<>();
            final List<Change> changed = new ArrayList<>();
            int currentCount = 0;
            int candidateCount = 0;
            for (final Map.Entry<String, AlertRecord> alert : current.entrySet()) {
                if (!ruleOf(alert.getValue()).equals(rule)) {
                    continue;
                }
                currentCount++;
                final AlertRecord other = candidate.get(alert.getKey());
                if (other == null) {
                    removed.add(alert.getKey());
                } else {
                    final List<String> differences = differences("", comparable(alert.getValue()), comparable(other));
                    if (!differences.isEmpty()) {
                        changed.add(new Change(alert.getKey(), differences));
                    }
                }
            }
            for (final Map.Entry<String, AlertRecord> alert : candidate.entrySet()) {
                if (ruleOf(alert.getValue()).equals(rule)) {
                    candidateCount++;
                    if (!current.containsKey(alert.getKey())) {
                        added.add(alert.getKey());
                    }
                }
            }
            result.put(rule, new PerRule(currentCount, candidateCount, added, removed, changed));
        }
        return new AlertComparison(result);
    }

    /** True when the candidate raises exactly the alerts the current rules raise. */
    public boolean same() {
        return rules.values().stream().allMatch(r -> r.added().isEmpty() && r.removed().isEmpty() && r.changed().isEmpty());
    }

    private static String ruleOf(final AlertRecord alert) {
        if (alert instanceof MachineSpeedAlert machine) {
            return machine.ruleId();
        }
        if (alert instanceof BandAlert band) {
            return band.ruleId();
        }
        return InactiveStudentAlert.RULE;
    }

    /** The alert's fields as JSON writes them, those compared, for the differences to name them as the file does. */
    private static JsonNode comparable(final AlertRecord alert) {
        final ObjectNode tree = JsonSerde.MAPPER.valueToTree(alert);
        tree.remove(IGNORED);
        return tree;
    }

    /** The leaf fields that differ, as {@code path: a -> b}. */
    private static List<String> differences(final String path, final JsonNode a, final JsonNode b) {
        final List<String> differences = new ArrayList<>();
        if (a != null && b != null && a.isObject() && b.isObject()) {
            final TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (final String name : names) {
                differences.addAll(differences(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name)));
            }
        } else if (a == null || b == null || !a.equals(b)) {
            differences.add(path + ": " + (a == null ? "none" : a) + " -> " + (b == null ? "none" : b));
        }
        return differences;
    }

    private static Map<String, AlertRecord> read(final Path file) {
        final Map<String, AlertRecord> alerts = new TreeMap<>();
        try {
            for (final String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    final AlertRecord alert = AlertSerde.parse(line);
                    alerts.put(alert.alertId(), alert);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the alerts of " + file + ": " + e.getMessage(), e);
        }
        return alerts;
    }
}
