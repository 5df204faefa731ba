package io.curriculum.detector.topology;

import io.curriculum.detector.detect.ActivityState;
import io.curriculum.detector.detect.BurstSettings;
import io.curriculum.detector.detect.CrawlSettings;
import io.curriculum.detector.detect.Episode;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.IpAllowlist;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Signal;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.CohortSeen;
import io.curriculum.detector.model.EnrichedAccess;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.model.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Applies the machine-speed rules to every lesson request under two keys: the source IP, and the client
 * (one user on one IP), so that behind a shared NAT address one user's burst stands out from the class
 * around it. The crawl rule watches clients only: an IP's hour mixes every reader behind a NAT.
 * Alerts go out on the request that crosses a threshold; a closing update follows under the same key.
 * A sweep, run by the first request after each minute of event time, closes episodes that went quiet and
 * drops idle keys, so state stays bounded. Both the sweep and every request judge by event time alone, and
 * the sweep runs at points fixed by the input (not by a wall clock), so the same input yields the same alerts
 * in the same order: a replay is reproducible to the byte.
 */
final class MachineSpeedProcessor implements Processor<String, EnrichedAccess, String, MachineSpeedAlert> {

    static final String IP_STORE = "ip-activity-store";
    static final String CLIENT_STORE = "client-activity-store";
    /** Event time between sweeps: well under the burst episode gap, so a closing update is at most this late. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);

    private final MachineSpeedRules rules;
    private final BurstSettings burst;
    private final CrawlSettings crawl;
    private final IpAllowlist allowlist;
    private final String cohortStoreName;
    private ProcessorContext<String, MachineSpeedAlert> context;
    private TimestampedKeyValueStore<String, Cohort> cohorts;
    private long watermark = Long.MIN_VALUE;
    private long nextSweep = Long.MIN_VALUE;
    private final Map<String, Sensor> counters = new HashMap<>();
    private final Map<Long, Sensor> accessCounters = new HashMap<>();
    private KeyMirror ipKeys;
    private KeyMirror clientKeys;

    MachineSpeedProcessor(final BurstSettings burst, final CrawlSettings crawl, final Duration grace, final IpAllowlist allowlist,
                          final String cohortStoreName) {
        this.rules = new MachineSpeedRules(burst, crawl, grace);
        this.burst = burst;
        this.crawl = crawl;
        this.allowlist = allowlist;
        this.cohortStoreName = cohortStoreName;
    }

    @Override
    public void init(final ProcessorContext<String, MachineSpeedAlert> context) {
        this.context = context;
        this.cohorts = context.getStateStore(cohortStoreName);
        ipKeys = new KeyMirror(context.getStateStore(IP_STORE));
        clientKeys = new KeyMirror(context.getStateStore(CLIENT_STORE));
        watermark = Math.max(ipKeys.newest(), clientKeys.newest());
        nextSweep = Long.MIN_VALUE;
    }

    @Override
    public void process(final Record<String, EnrichedAccess> record) {
        final Access access = record.value().access();
        accessCounter(record.value()).record();
        final String lesson = record.value().lesson();
        if (lesson == null || allowlist.contains(access.ip())) {
            return;
        }
        final Hit hit = new Hit(access.time().toEpochMilli(), lesson, access.userId(), access.cohortId(), record.value().role().label());
        watermark = Math.max(watermark, hit.time());
        apply(ipKeys, access.ip(), hit, false);
        apply(clientKeys, clientKey(access), hit, true);
        if (watermark >= nextSweep) {
            sweep();
            nextSweep = watermark + SWEEP_INTERVAL.toMillis();
        }
    }

    private void apply(final KeyMirror keys, final String key, final Hit hit, final boolean client) {
        final ActivityState known = keys.state(key);
        final ActivityState state = known == null ? new ActivityState() : known;
        final List<Signal> signals = rules.onHit(state, hit, watermark, client);
        keys.update(key, state);
        emit(key, client, signals);
    }

    /** Closes quiet episodes and forgets idle keys, by event time, so the outcome does not depend on when it runs. */
    private void sweep() {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        sweep(ipKeys, false);
        sweep(clientKeys, true);
    }

    /**
     * Visits only the keys the sweep can change: those with an open episode (it may have gone quiet) and those
     * idle past the retention (they may be dropped). Any other key's state would come out of {@code onIdle} as it
     * went in, so reading it from the store would be wasted work. Keys are visited in key order, as a scan would.
     */
    private void sweep(final KeyMirror keys, final boolean client) {
        for (final String key : keys.candidates(watermark - rules.retentionMillis(client))) {
            final ActivityState state = keys.state(key);
            final List<Signal> signals = rules.onIdle(state, watermark);
            emit(key, client, signals);
            if (rules.isExpired(state, watermark, client)) {
                keys.remove(key);
            } else {
                keys.update(key, state);
            }
        }
    }

    /**
     * A store of activity states ({@link MirroredStore}: decoded in memory, written once per commit) and the keys with an
     * open episode, which the sweep visits. The open keys are worked out again from the store whenever the processor is
     * initialised (after a restore, a migration or an aborted transaction), so they always match it.
     */
    private static final class KeyMirror {
        private final MirroredStore<String, ActivityState> store;
        private final Set<String> open = new HashSet<>();

        KeyMirror(final MirroredStore<String, ActivityState> store) {
            this.store = store;
            for (final Map.Entry<String, ActivityState> entry : store.entries().entrySet()) {
                if (entry.getValue().hasOpenEpisode()) {
                    open.add(entry.getKey());
                }
            }
        }

        ActivityState state(final String key) {
            return store.value(key);
        }

        void update(final String key, final ActivityState state) {
            store.put(key, state);
            if (state.hasOpenEpisode()) {
                open.add(key);
            } else {
                open.remove(key);
            }
        }

        void remove(final String key) {
            store.delete(key);
            open.remove(key);
        }

        /** Keys with an open episode or last seen before {@code idleBefore}, in key order. */
        SortedSet<String> candidates(final long idleBefore) {
            final SortedSet<String> keys = new TreeSet<>(open);
            for (final Map.Entry<String, ActivityState> entry : store.entries().entrySet()) {
                if (entry.getValue().lastSeen() < idleBefore) {
                    keys.add(entry.getKey());
                }
            }
            return keys;
        }

        long newest() {
            long newest = Long.MIN_VALUE;
            for (final ActivityState state : store.entries().values()) {
                newest = Math.max(newest, state.lastSeen());
            }
            return newest;
        }
    }

    private void emit(final String key, final boolean client, final List<Signal> signals) {
        for (final Signal signal : signals) {
            final MachineSpeedAlert alert = alert(key, client, signal);
            if (signal.open()) {
                count("alerts-emitted", "alerts raised (counted once, when they open), by rule and scope",
                        Map.of("rule", alert.rule(), "scope", alert.scope()));
            }
            final long timestamp = signal.open() ? signal.episode().detectedAt() : signal.episode().end();
            context.forward(new Record<>(alert.alertId(), alert, timestamp));
        }
    }

    /** Looked up by a number per record, so the hot path builds no strings or maps. */
    private Sensor accessCounter(final EnrichedAccess access) {
        final long key = (long) access.programId() * Role.values().length + access.role().ordinal();
        return accessCounters.computeIfAbsent(key, k -> DetectorMetrics.counter(context.metrics(), "accesses-processed",
                "accesses enriched and judged, by the program and role of the user that day",
                Map.of("program", access.programName(), "role", access.role().label())));
    }

    private void count(final String name, final String description, final Map<String, String> labels) {
        counters.computeIfAbsent(name + labels, key -> DetectorMetrics.counter(context.metrics(), name, description, labels)).record();
    }

    private MachineSpeedAlert alert(final String key, final boolean client, final Signal signal) {
        final Episode episode = signal.episode();
        final int separator = key.lastIndexOf('|');
        final String ip = client ? key.substring(0, separator) : key;
        final Long userId = client && !key.endsWith("|-") ? Long.valueOf(key.substring(separator + 1)) : null;
        final String scope = client ? "client" : "ip";
        final String alertId = signal.rule().label() + "|" + scope + "|" + key + "|" + Instant.ofEpochMilli(episode.keyTime());
        final MachineSpeedAlert.Threshold threshold = signal.rule() == Signal.Rule.BURST
                ? new MachineSpeedAlert.Threshold(burst.minDistinctPages(), burst.window(), burst.minPagesPerUser(), null, null)
                : new MachineSpeedAlert.Threshold(crawl.minDistinctPages(), crawl.window(), null, crawl.minActiveSlots(), crawl.slots());
        return new MachineSpeedAlert(alertId, signal.rule().label(), scope, signal.open() ? "open" : "closed", ip, userId,
                threshold, Instant.ofEpochMilli(episode.start()), Instant.ofEpochMilli(episode.end()),
                Instant.ofEpochMilli(episode.detectedAt()), episode.requests(), episode.distinctPages(), episode.users(),
                cohortsSeen(episode.cohorts()), episode.roles(), episode.sample());
    }

    private List<CohortSeen> cohortsSeen(final List<Integer> ids) {
        final List<CohortSeen> seen = new ArrayList<>(ids.size());
        for (final int id : ids) {
            final ValueAndTimestamp<Cohort> cohort = cohorts.get(String.valueOf(id));
            seen.add(cohort == null || cohort.value() == null
                    ? new CohortSeen(id, null, Program.UNKNOWN)
                    : new CohortSeen(id, cohort.value().name(), cohort.value().programId()));
        }
        return seen;
    }

    private static String clientKey(final Access access) {
        return access.ip() + "|" + (access.userId() == null ? "-" : access.userId().toString());
    }
}
