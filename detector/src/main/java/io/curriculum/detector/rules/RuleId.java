package io.curriculum.detector.rules;

import io.curriculum.detector.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules a rule record can tune, each the key of its records on the rules topic, with the {@code detector.*} keys it may
 * set. The keys of two rules never overlap, so each record is valid or not on its own. Settings that shape the stored
 * state (the band window, history and weekly phase) are left to the configuration: changing them needs a restart.
 */
public enum RuleId {
    /** The burst and crawl rules, every scale; its alerts go to the suspicious-IP topic. */
    MACHINE_SPEED("machine-speed", true, Set.of(Setting.BURST_WINDOW, Setting.BURST_MIN_PAGES, Setting.BURST_PAGES_PER_USER,
            Setting.BURST_SCALES, Setting.BURST_GAP, Setting.CRAWL_WINDOW, Setting.CRAWL_MIN_PAGES, Setting.CRAWL_SLOTS,
            Setting.CRAWL_MIN_ACTIVE_SLOTS, Setting.CRAWL_SCALES, Setting.CRAWL_NEW_PAGE_SHARE)),
    /** How the lesson bands judge a window; its alerts go to the lesson-band topic. */
    LESSON_BAND("lesson-band", true, Set.of(Setting.BAND_K, Setting.BAND_MIN_EFFECT, Setting.BAND_MODEL, Setting.BAND_MIN_MEAN,
            Setting.BAND_MIN_HISTORY)),
    /** The addresses the machine-speed rules never flag. */
    ALLOWLIST("allowlist", false, Set.of(Setting.ALLOWLIST)),
    /** The non-class days the bands neither judge nor learn from: the built-in sets, and extra {@code days}. */
    CALENDAR("calendar", false, Set.of(Setting.BAND_HOLIDAYS));

    private final String id;
    private final boolean raisesAlerts;
    private final Set<Setting> settings;

    RuleId(final String id, final boolean raisesAlerts, final Set<Setting> settings) {
        this.id = id;
        this.raisesAlerts = raisesAlerts;
        this.settings = settings;
    }

    /** The record key, e.g. {@code machine-speed}. */
    public String id() {
        return id;
    }

    /** True for the rules whose alerts name them (and may be simulated); false for those that only shape another rule. */
    public boolean raisesAlerts() {
        return raisesAlerts;
    }

    public Set<Setting> settings() {
        return settings;
    }

    /** The keys it may set, in the order of {@link Setting}, for error messages and {@code rules show}. */
    public List<String> keys() {
        final List<String> keys = new ArrayList<>();
        for (final Setting setting : Setting.values()) {
            if (settings.contains(setting)) {
                keys.add(setting.key());
            }
        }
        return keys;
    }

    /** The rule of a record key, or null. */
    public static RuleId of(final String id) {
        for (final RuleId rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        return null;
    }

    /** Every rule id, for messages: {@code machine-speed, lesson-band, allowlist, calendar}. */
    public static String known() {
        final List<String> ids = new ArrayList<>();
        for (final RuleId rule : values()) {
            ids.add(rule.id);
        }
        return String.join(", ", ids);
    }
}
