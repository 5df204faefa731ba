package io.curriculum.detector.config;

import java.util.Locale;

/**
 * Whether records re-keyed inside the topology (by lesson, by user, by IP) travel through repartition topics.
 * They must when the logs topic has several partitions: a key's records and its state then meet in one task
 * of many. With one partition every key is in the one task anyway, and a repartition topic only costs a
 * produce, a consume and a transaction per record: the topology then runs as one task, with none.
 */
public enum Repartition {
    /** {@link #NEVER} when the logs topic has one partition, {@link #ALWAYS} otherwise; resolved at start-up. */
    AUTO,
    ALWAYS,
    NEVER;

    public static Repartition parse(final String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not one of auto, always, never");
        }
    }

    /** What this setting means for a logs topic of {@code partitions} partitions. */
    public Repartition forPartitions(final int partitions) {
        if (this == NEVER && partitions > 1) {
            throw new IllegalArgumentException("the logs topic has " + partitions + " partitions: a topology without repartition "
                    + "topics would split each lesson's and each user's counts across tasks; use auto or always");
        }
        return this == AUTO ? (partitions == 1 ? NEVER : ALWAYS) : this;
    }
}
