package io.curriculum.detector.topology;

import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.IpAllowlist;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.ViewHit;
import io.curriculum.detector.rules.RuleId;
import io.curriculum.detector.rules.RuleSet;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The machine-speed rules (burst and crawl, every scale) per user across all of the user's addresses, on the by-user
 * stream that the analysts' views already read (no repartition of its own): an account that rotates its addresses
 * stays under every per-IP and per-client threshold, but not under its own. The alert names every address seen. A
 * threshold counts here only over a window that spans at least two addresses ({@link Scope#USER}): on one address the
 * client scope has already alerted.
 * Accesses without a user (keyed {@code ip:<ip>} on that stream) are left to the IP scope. Lateness, the sweep and
 * determinism as in {@link MachineSpeedProcessor}.
 */
final class UserMachineSpeedProcessor implements Processor<String, ViewHit, String, MachineSpeedAlert> {

    static final String STORE = "account-activity-store";

    private final RuleBook book;
    private final String cohortStoreName;
    private RuleSet inForce;
    private IpAllowlist allowlist;
    private MachineSpeedAlerts alerts;
    private MachineSpeedScope users;
    private long watermark = Long.MIN_VALUE;
    private long nextSweep = Long.MIN_VALUE;

    UserMachineSpeedProcessor(final RuleBook book, final String cohortStoreName) {
        this.book = book;
        this.cohortStoreName = cohortStoreName;
    }

    @Override
    public void init(final ProcessorContext<String, MachineSpeedAlert> context) {
        inForce = book.current();
        final MachineSpeedRules rules = inForce.machineSpeed();
        alerts = new MachineSpeedAlerts(rules.burst(), rules.crawl(), context, context.getStateStore(cohortStoreName));
        final Sensor forgotten = DetectorMetrics.counter(context.metrics(), "machine-speed-late-rows",
                "requests older than what the machine-speed rules keep of a key (the key may have been forgotten): not judged for machine speed, still counted in the views and bands");
        users = new MachineSpeedScope(Scope.USER, rules, context.getStateStore(STORE), forgotten);
        watermark = users.newest();
        nextSweep = Long.MIN_VALUE;
        use(inForce);
    }

    /** Puts a rule set in force for the requests from now on, as {@link MachineSpeedProcessor} does. */
    private void use(final RuleSet rules) {
        inForce = rules;
        allowlist = rules.allowlist();
        users.use(rules.machineSpeed());
        alerts.use(rules.machineSpeed().burst(), rules.machineSpeed().crawl(), rules.version(RuleId.MACHINE_SPEED), rules.simulated(RuleId.MACHINE_SPEED));
    }

    @Override
    public void process(final Record<String, ViewHit> record) {
        final ViewHit view = record.value();
        if (book.current() != inForce) {
            use(book.current());
        }
        if (view.userId() == null || view.lesson() == null || allowlist.contains(view.ip())) {
            return;
        }
        final String key = view.userId().toString();
        final Hit hit = new Hit(view.time(), view.lesson(), view.ip(), view.userId(), view.cohortId(), view.role().label());
        watermark = Math.max(watermark, hit.time());
        alerts.emit(users.name(), key, new MachineSpeedAlerts.Subject(null, view.userId()), users.hit(key, hit));
        if (watermark >= nextSweep) {
            users.sweep(watermark, (user, signals) -> alerts.emit(users.name(), user, new MachineSpeedAlerts.Subject(null, Long.valueOf(user)), signals));
            nextSweep = watermark + MachineSpeedProcessor.SWEEP_INTERVAL.toMillis();
        }
    }
}
