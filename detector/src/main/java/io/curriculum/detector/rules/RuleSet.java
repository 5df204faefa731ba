package io.curriculum.detector.rules;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.Setting;
import io.curriculum.detector.detect.BandRule;
import io.curriculum.detector.detect.IpAllowlist;
import io.curriculum.detector.detect.MachineSpeedRules;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * The rules in force: the configuration's values (version 0 of every rule), with the settings of the rule records
 * accepted on top, and the rule objects they make, built once here and shared by every task. Immutable: a new record
 * makes a new set ({@link #with}), which the processors pick up at their next record.
 */
public final class RuleSet {

    private final DetectorConfig base;
    private final Map<RuleId, RuleRecord> records;
    private final DetectorConfig tuned;
    private final MachineSpeedRules machineSpeed;
    private final BandRule band;

    private RuleSet(final DetectorConfig base, final Map<RuleId, RuleRecord> records, final DetectorConfig tuned) {
        this.base = base;
        this.records = Collections.unmodifiableMap(records);
        this.tuned = tuned;
        this.machineSpeed = new MachineSpeedRules(tuned.burst(), tuned.crawl(), tuned.grace());
        this.band = new BandRule(tuned.band(), tuned.campusZone(), tuned.grace());
    }

    /** The configuration's rules alone. */
    public static RuleSet defaults(final DetectorConfig config) {
        return new RuleSet(config, new EnumMap<>(RuleId.class), config);
    }

    /**
     * These rules with {@code record} in force for its rule instead of what was.
     *
     * @throws InvalidRuleException naming the key of a value that does not parse or lies out of range (this set stays as it is)
     */
    public RuleSet with(final RuleRecord record) throws InvalidRuleException {
        final Map<RuleId, RuleRecord> next = new EnumMap<>(RuleId.class);
        next.putAll(records);
        next.put(record.rule(), record);
        try {
            return new RuleSet(base, next, tune(base, next));
        } catch (final ConfigException e) {
            throw new InvalidRuleException(e.getMessage(), List.of("settings", keyNamed(e.getMessage(), record)));
        }
    }

    /** These rules with the configuration's values back in force for {@code rule} (its record deleted). */
    public RuleSet without(final RuleId rule) {
        final Map<RuleId, RuleRecord> next = new EnumMap<>(RuleId.class);
        next.putAll(records);
        next.remove(rule);
        return new RuleSet(base, next, tune(base, next));
    }

    private static DetectorConfig tune(final DetectorConfig base, final Map<RuleId, RuleRecord> records) {
        if (records.isEmpty()) {
            return base;
        }
        final Map<Setting, String> settings = new EnumMap<>(Setting.class);
        final Set<LocalDate> days = new TreeSet<>();
        for (final RuleRecord record : records.values()) {
            settings.putAll(record.settings());
            days.addAll(record.days());
        }
        return base.withSettings(settings, days);
    }

    private static String keyNamed(final String message, final RuleRecord record) {
        for (final Setting setting : record.settings().keySet()) {
            if (message.contains(setting.key())) {
                return setting.key();
            }
        }
        return "";
    }

    /** The records in force, by rule; a rule without one runs on the configuration's values. */
    public Map<RuleId, RuleRecord> records() {
        return records;
    }

    /** The version of a rule in force: its record's, or 0 for the configuration's values. */
    public long version(final RuleId rule) {
        final RuleRecord record = records.get(rule);
        return record == null ? 0 : record.version();
    }

    /** True when the rule's record in force asks for its alerts to go to the simulation topic. */
    public boolean simulated(final RuleId rule) {
        final RuleRecord record = records.get(rule);
        return record != null && record.simulate();
    }

    /** The configuration as these rules tune it: burst, crawl, bands and allowlist as in force. */
    public DetectorConfig config() {
        return tuned;
    }

    /** The value in force of a setting, as text (the configuration's unless a record sets it). */
    public String value(final Setting setting) {
        return tuned.settings().get(setting);
    }

    public MachineSpeedRules machineSpeed() {
        return machineSpeed;
    }

    public BandRule band() {
        return band;
    }

    public IpAllowlist allowlist() {
        return tuned.allowlist();
    }
}
