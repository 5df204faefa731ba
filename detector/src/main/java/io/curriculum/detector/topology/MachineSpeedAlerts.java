package io.curriculum.detector.topology;

import io.curriculum.detector.detect.BurstSettings;
import io.curriculum.detector.detect.CrawlSettings;
import io.curriculum.detector.detect.Signal;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.CohortSeen;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Turns machine-speed signals into {@link MachineSpeedAlert}s with their whole evidence and forwards them, keyed by
 * {@link io.curriculum.detector.model.MachineSpeedAlertId} ({@code <rule>|<scope>|<key>|<episode start>}): the open alert at the time of the request that crossed, the closing
 * update under the same key at the time of the episode's last request. Counts the alerts raised, by rule and scope.
 */
final class MachineSpeedAlerts {

    /** Who a key of a scope names; a null {@code ip} (the user scope) stands for the address that crossed the threshold. */
    record Subject(String ip, Long userId) {
    }

    /** The help of {@code alerts-simulated-total}. */
    static final String SIMULATED_HELP = "alerts raised by a rule marked simulate, written to the simulation topic only (counted once, when they open), by rule and scope";

    private BurstSettings burst;
    private CrawlSettings crawl;
    private long ruleVersion;
    private boolean simulated;
    private final ProcessorContext<String, MachineSpeedAlert> context;
    private final TimestampedKeyValueStore<String, Cohort> cohorts;
    private final Map<String, Sensor> counters = new HashMap<>();

    MachineSpeedAlerts(final BurstSettings burst, final CrawlSettings crawl, final ProcessorContext<String, MachineSpeedAlert> context,
                       final TimestampedKeyValueStore<String, Cohort> cohorts) {
        this.burst = burst;
        this.crawl = crawl;
        this.context = context;
        this.cohorts = cohorts;
    }

    /** Alerts from now on carry these settings' thresholds and name this version of the rule, simulated or live. */
    void use(final BurstSettings burst, final CrawlSettings crawl, final long ruleVersion, final boolean simulated) {
        this.burst = burst;
        this.crawl = crawl;
        this.ruleVersion = ruleVersion;
        this.simulated = simulated;
    }

    void emit(final String scope, final String key, final Subject subject, final List<Signal> signals) {
        for (final Signal signal : signals) {
            final MachineSpeedAlert alert = alert(scope, key, subject, signal);
            if (signal.open()) {
                counters.computeIfAbsent(alert.rule() + "|" + scope + "|" + simulated, k -> simulated
                        ? DetectorMetrics.counter(context.metrics(), "alerts-simulated", SIMULATED_HELP, Map.of("rule", alert.rule(), "scope", scope))
                        : DetectorMetrics.counter(context.metrics(), "alerts-emitted",
                        "alerts raised (counted once, when they open), by rule and scope", Map.of("rule", alert.rule(), "scope", scope))).record();
            }
            final long timestamp = signal.open() ? signal.episode().detectedAt() : signal.episode().end();
            context.forward(new Record<>(alert.alertId(), alert, timestamp));
        }
    }

    private MachineSpeedAlert alert(final String scope, final String key, final Subject subject, final Signal signal) {
        return MachineSpeedAlert.of(scope, key, subject.ip(), subject.userId(), signal, burst, crawl, cohortsSeen(signal.episode().cohorts()))
                .withRule(ruleVersion, simulated);
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
}
