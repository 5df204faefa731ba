package io.curriculum.detector.topology;

import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.IpAllowlist;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.model.ClientKey;
import io.curriculum.detector.model.EnrichedAccess;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.Role;
import io.curriculum.detector.rules.RuleId;
import io.curriculum.detector.rules.RuleSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies the machine-speed rules to every lesson request under two keys of the by-IP stream: the source IP, and the
 * client (one user on one IP), so that behind a shared NAT address one user's burst stands out from the class around
 * it. The crawl rule watches clients only: an IP's hours mix every reader behind a NAT. (The third scope, one user on
 * every address, runs on the by-user stream: {@link UserMachineSpeedProcessor}.)
 * Alerts go out on the request that crosses a threshold; a closing update follows under the same key.
 * Each key is judged by its own time ({@link MachineSpeedRules}); a sweep, run by the first request after each
 * {@link #SWEEP_INTERVAL} of event time (the newest seen), closes episodes of keys that went quiet (a grace after the
 * gap, so a key whose rows trail the others within the grace still meets its episode) and drops idle keys, so state
 * stays bounded. Both the sweep and every request judge by event time alone, at points fixed by the input (not by a
 * wall clock), so the same input yields the same alerts in the same order: a replay is reproducible to the byte.
 */
final class MachineSpeedProcessor implements Processor<String, EnrichedAccess, String, MachineSpeedAlert> {

    static final String IP_STORE = "ip-activity-store";
    static final String CLIENT_STORE = "client-activity-store";
    /** Event time between sweeps: well under the burst episode gap, so a closing update is at most this late. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);

    private final RuleBook book;
    private final String cohortStoreName;
    private RuleSet inForce;
    private IpAllowlist allowlist;
    private ProcessorContext<String, MachineSpeedAlert> context;
    private MachineSpeedAlerts alerts;
    private MachineSpeedScope ips;
    private MachineSpeedScope clients;
    private long watermark = Long.MIN_VALUE;
    private long nextSweep = Long.MIN_VALUE;
    private final Map<Long, Sensor> accessCounters = new HashMap<>();

    MachineSpeedProcessor(final RuleBook book, final String cohortStoreName) {
        this.book = book;
        this.cohortStoreName = cohortStoreName;
    }

    @Override
    public void init(final ProcessorContext<String, MachineSpeedAlert> context) {
        this.context = context;
        inForce = book.current();
        final MachineSpeedRules rules = inForce.machineSpeed();
        this.alerts = new MachineSpeedAlerts(rules.burst(), rules.crawl(), context, context.getStateStore(cohortStoreName));
        final Sensor forgotten = DetectorMetrics.counter(context.metrics(), "machine-speed-late-rows",
                "requests older than what the machine-speed rules keep of a key (the key may have been forgotten): not judged for machine speed, still counted in the views and bands");
        ips = new MachineSpeedScope(Scope.IP, rules, context.getStateStore(IP_STORE), forgotten);
        clients = new MachineSpeedScope(Scope.CLIENT, rules, context.getStateStore(CLIENT_STORE), forgotten);
        watermark = Math.max(ips.newest(), clients.newest());
        nextSweep = Long.MIN_VALUE;
        use(inForce);
    }

    @Override
    public void process(final Record<String, EnrichedAccess> record) {
        final Access access = record.value().access();
        accessCounter(record.value()).record();
        if (book.current() != inForce) {
            use(book.current());
        }
        final String lesson = record.value().lesson();
        if (lesson == null || allowlist.contains(access.ip())) {
            return;
        }
        final Hit hit = new Hit(access.time().toEpochMilli(), lesson, access.ip(), access.userId(), access.cohortId(), record.value().role().label());
        watermark = Math.max(watermark, hit.time());
        alerts.emit(ips.name(), access.ip(), new MachineSpeedAlerts.Subject(access.ip(), null), ips.hit(access.ip(), hit));
        final String client = new ClientKey(access.ip(), access.userId()).text();
        alerts.emit(clients.name(), client, new MachineSpeedAlerts.Subject(access.ip(), access.userId()), clients.hit(client, hit));
        if (watermark >= nextSweep) {
            ips.sweep(watermark, (key, signals) -> alerts.emit(ips.name(), key, new MachineSpeedAlerts.Subject(key, null), signals));
            clients.sweep(watermark, (key, signals) -> alerts.emit(clients.name(), key, clientOf(key), signals));
            nextSweep = watermark + SWEEP_INTERVAL.toMillis();
        }
    }

    /** Puts a rule set in force for the requests from now on (the allowlist, the thresholds, the rule version alerts name). */
    private void use(final RuleSet rules) {
        inForce = rules;
        allowlist = rules.allowlist();
        ips.use(rules.machineSpeed());
        clients.use(rules.machineSpeed());
        alerts.use(rules.machineSpeed().burst(), rules.machineSpeed().crawl(), rules.version(RuleId.MACHINE_SPEED), rules.simulated(RuleId.MACHINE_SPEED));
    }

    /** Looked up by a number per record, so the hot path builds no strings or maps. */
    private Sensor accessCounter(final EnrichedAccess access) {
        final long key = (long) access.programId() * Role.values().length + access.role().ordinal();
        return accessCounters.computeIfAbsent(key, k -> DetectorMetrics.counter(context.metrics(), "accesses-processed",
                "accesses enriched and judged, by the program and role of the user that day",
                Map.of("program", access.programName(), "role", access.role().label())));
    }

    private static MachineSpeedAlerts.Subject clientOf(final String key) {
        final ClientKey client = ClientKey.parse(key);
        return new MachineSpeedAlerts.Subject(client.ip(), client.userId());
    }
}
