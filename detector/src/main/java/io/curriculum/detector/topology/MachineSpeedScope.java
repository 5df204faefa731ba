package io.curriculum.detector.topology;

import io.curriculum.detector.detect.ActivityState;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.detect.Signal;
import io.curriculum.detector.streams.internals.MirroredStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.metrics.Sensor;

/**
 * The machine-speed rules under one key of a scope ({@code ip}, {@code client} or {@code user}), over a store of
 * activity states ({@link MirroredStore}: decoded in memory, written once per commit), and the keys with an open
 * episode, which the sweep visits. The open keys are worked out again from the store whenever the scope is created
 * (after a restore, a migration or an aborted transaction), so they always match it.
 */
final class MachineSpeedScope {

    /** Receives the signals of one key. */
    interface Sink {
        void emit(String key, List<Signal> signals);
    }

    private final Scope scope;
    private MachineSpeedRules rules;
    private final MirroredStore<String, ActivityState> store;
    private final Set<String> open = new HashSet<>();
    private final Sensor forgottenRows;
    /** The clock of the last sweep: a key idle for the retention before it may have been forgotten. */
    private long sweptAt = Long.MIN_VALUE;

    /** {@code forgottenRows} counts the requests too old for a key the scope may have forgotten (see {@link #hit}). */
    MachineSpeedScope(final Scope scope, final MachineSpeedRules rules, final MirroredStore<String, ActivityState> store, final Sensor forgottenRows) {
        this.scope = scope;
        this.rules = rules;
        this.store = store;
        this.forgottenRows = forgottenRows;
        for (final Map.Entry<String, ActivityState> entry : store.entries().entrySet()) {
            if (entry.getValue().hasOpenEpisode()) {
                open.add(entry.getKey());
            }
        }
    }

    /** Judges from now on by {@code rules} (a rule record put in force): the states kept stay as they are. */
    void use(final MachineSpeedRules rules) {
        this.rules = rules;
    }

    String name() {
        return scope.label();
    }

    /** Applies one request to the key's state, judged by the key's own time. */
    List<Signal> hit(final String key, final Hit hit) {
        final ActivityState known = store.value(key);
        if (known == null && sweptAt != Long.MIN_VALUE && hit.time() < sweptAt - rules.retentionMillis(scope)) {
            // older than what the scope keeps of a key: its state, and a closed episode this row belongs to, may have been
            // dropped by a sweep, so the row is late for its key. It still counts in the views and the bands.
            forgottenRows.record();
            return List.of();
        }
        final ActivityState state = known == null ? new ActivityState() : known;
        final List<Signal> signals = rules.onHit(state, hit, scope);
        update(key, state);
        return signals;
    }

    /**
     * Closes quiet episodes and forgets idle keys by {@code clock}. Visits only the keys the sweep can change: those with
     * an open episode (it may have gone quiet) and those idle past the retention (they may be dropped), in key order.
     */
    void sweep(final long clock, final Sink sink) {
        sweptAt = Math.max(sweptAt, clock);
        for (final String key : candidates(clock - rules.retentionMillis(scope))) {
            final ActivityState state = store.value(key);
            sink.emit(key, rules.onIdle(state, clock));
            if (rules.isExpired(state, clock, scope)) {
                store.delete(key);
                open.remove(key);
            } else {
                update(key, state);
            }
        }
    }

    /** The newest request time of every key held, e.g. after a restore. */
    long newest() {
        long newest = Long.MIN_VALUE;
        for (final ActivityState state : store.entries().values()) {
            newest = Math.max(newest, state.lastSeen());
        }
        return newest;
    }

    private void update(final String key, final ActivityState state) {
        store.put(key, state);
        if (state.hasOpenEpisode()) {
            open.add(key);
        } else {
            open.remove(key);
        }
    }

    private SortedSet<String> candidates(final long idleBefore) {
        final SortedSet<String> keys = new TreeSet<>(open);
        for (final Map.Entry<String, ActivityState> entry : store.entries().entrySet()) {
            if (entry.getValue().lastSeen() < idleBefore) {
                keys.add(entry.getKey());
            }
        }
        return keys;
    }
}
