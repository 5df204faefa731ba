package io.curriculum.detector.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.curriculum.detector.config.Setting;
import io.curriculum.detector.detect.CampusCalendar;
import io.curriculum.detector.serde.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One record of the rules topic, keyed by its rule id: {@code {"version": 3, "simulate": false, "settings":
 * {"detector.burst.min-distinct-pages": 25}, "days": ["2026-03-09..2026-03-13"], "note": "..."}}. {@code version} (a whole
 * number, at least 1) is what every alert of the rule names as {@code ruleVersion}; the configuration's values are version
 * 0. {@code settings}: any of the rule's {@code detector.*} keys ({@link RuleId#keys()}), as strings or numbers; a key left
 * out keeps the configuration's value. {@code simulate} (machine-speed and lesson-band only): the rule's alerts go to the
 * simulation topic instead of the live one. {@code days} (calendar only): extra non-class days, a day or a range each.
 * {@code note}: free text. Any other field is refused.
 */
public record RuleRecord(RuleId rule, long version, boolean simulate, Map<Setting, String> settings, Set<LocalDate> days, String note) {

    private static final Set<String> FIELDS = Set.of("version", "simulate", "settings", "days", "note");

    public RuleRecord {
        settings = Collections.unmodifiableMap(settings.isEmpty() ? new EnumMap<>(Setting.class) : new EnumMap<>(settings));
        days = Collections.unmodifiableSet(new TreeSet<>(days));
    }

    /** Parses the value of a rules-topic record keyed {@code key}. */
    public static RuleRecord parse(final String key, final byte[] value) throws InvalidRuleException {
        final RuleId rule = RuleId.of(key);
        if (rule == null) {
            throw new InvalidRuleException("unknown rule id '" + key + "' (known: " + RuleId.known() + ")", List.of());
        }
        final JsonNode json;
        try {
            json = JsonSerde.MAPPER.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (final JsonProcessingException e) {
            throw new InvalidRuleException("not JSON: " + e.getOriginalMessage(), List.of());
        }
        return parse(rule, json);
    }

    /** Parses a rule record already read as JSON. */
    public static RuleRecord parse(final RuleId rule, final JsonNode json) throws InvalidRuleException {
        if (json == null || !json.isObject()) {
            throw new InvalidRuleException("a rule record is a JSON object with version, settings and optionally simulate, days, note", List.of());
        }
        for (final Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidRuleException("unknown field '" + name + "' (known: version, simulate, settings, days, note)", List.of(name));
            }
        }
        final JsonNode version = json.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 1) {
            throw new InvalidRuleException("version must be a whole number of at least 1, not " + (version == null ? "missing" : version),
                    List.of("version"));
        }
        final JsonNode simulate = json.get("simulate");
        if (simulate != null && !simulate.isBoolean()) {
            throw new InvalidRuleException("simulate must be true or false, not " + simulate, List.of("simulate"));
        }
        if (simulate != null && simulate.asBoolean() && !rule.raisesAlerts()) {
            throw new InvalidRuleException("simulate applies to the rules that raise alerts (machine-speed, lesson-band), not to " + rule.id(),
                    List.of("simulate"));
        }
        final JsonNode note = json.get("note");
        if (note != null && !note.isTextual()) {
            throw new InvalidRuleException("note must be a string", List.of("note"));
        }
        return new RuleRecord(rule, version.asLong(), simulate != null && simulate.asBoolean(), settings(rule, json.get("settings")),
                days(rule, json.get("days")), note == null ? null : note.asText());
    }

    private static Map<Setting, String> settings(final RuleId rule, final JsonNode json) throws InvalidRuleException {
        final Map<Setting, String> settings = new EnumMap<>(Setting.class);
        if (json == null) {
            return settings;
        }
        if (!json.isObject()) {
            throw new InvalidRuleException("settings must be an object of detector.* keys and values", List.of("settings"));
        }
        for (final Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final Setting setting = settingOf(rule, field.getKey());
            final JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new InvalidRuleException(field.getKey() + ": a value is a string or a number, not " + value,
                        List.of("settings", field.getKey()));
            }
            settings.put(setting, value.asText());
        }
        return settings;
    }

    private static Setting settingOf(final RuleId rule, final String key) throws InvalidRuleException {
        for (final Setting setting : rule.settings()) {
            if (setting.key().equals(key)) {
                return setting;
            }
        }
        throw new InvalidRuleException("unknown key '" + key + "' for rule " + rule.id() + " (it may set: " + String.join(", ", rule.keys()) + ")",
                List.of("settings", key));
    }

    private static Set<LocalDate> days(final RuleId rule, final JsonNode json) throws InvalidRuleException {
        final Set<LocalDate> days = new TreeSet<>();
        if (json == null) {
            return days;
        }
        if (rule != RuleId.CALENDAR) {
            throw new InvalidRuleException("days belong to the calendar rule, not to " + rule.id(), List.of("days"));
        }
        if (!json.isArray()) {
            throw new InvalidRuleException("days must be a list of days (2026-03-09) or ranges (2026-03-09..2026-03-13)", List.of("days"));
        }
        for (final JsonNode day : json) {
            try {
                days.addAll(CampusCalendar.parseEntry(day.asText()));
            } catch (final IllegalArgumentException e) {
                throw new InvalidRuleException("days: " + e.getMessage(), List.of("days"));
            }
        }
        return days;
    }

    /** The record as the rules topic holds it (what {@link #parse} reads back). */
    public JsonNode toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        if (simulate) {
            json.put("simulate", true);
        }
        final Map<String, String> keys = new LinkedHashMap<>();
        settings.forEach((setting, value) -> keys.put(setting.key(), value));
        json.put("settings", keys);
        if (!days.isEmpty()) {
            final List<String> list = new ArrayList<>();
            days.forEach(day -> list.add(day.toString()));
            json.put("days", list);
        }
        if (note != null) {
            json.put("note", note);
        }
        return JsonSerde.MAPPER.valueToTree(json);
    }
}
