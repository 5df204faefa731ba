package io.curriculum.tools.explain;

import io.curriculum.app.api.Subject;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.ActivityState;
import io.curriculum.detector.detect.Hit;
import io.curriculum.detector.detect.MachineSpeedRules;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.detect.Signal;
import io.curriculum.detector.model.ClientKey;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.CohortSeen;
import io.curriculum.detector.model.EnrichedAccess;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.MachineSpeedAlertId;
import io.curriculum.detector.model.Program;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.HistoryRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Explains the machine-speed rules' verdict on a {@link Subject} of a history file: runs the file's rows, in the order
 * and form a replay's detector gets them ({@link DetectorInput}), through {@link MachineSpeedRules} with the
 * configuration's burst and crawl settings, under the keys the topology gives them at the subject's scopes (the
 * allowlist and the lesson filter first, one watermark per stage for the sweeps that close quiet episodes and forget
 * idle keys, every {@link DetectorTopology#MACHINE_SPEED_SWEEP_INTERVAL}), and builds the alerts with the topology's
 * own {@link MachineSpeedAlert#of}. The alerts are those a replay of the file raises for these keys; a replay sends
 * nothing after the last row, so an episode still running at the end of the file stays open here too.
 *
 * <p>The rules run over the whole file (a key's state at {@code from} depends on what came before); the explanation
 * reports the requests, peaks and alerts of {@code from..to} only.
 */
public final class MachineSpeedExplainer {

    /** Requests shown unless asked otherwise. */
    public static final int DEFAULT_MAX_REQUESTS = 200;

    private final DetectorConfig config;
    private final List<CohortRow> cohortRows;
    private final MachineSpeedRules rules;

    public MachineSpeedExplainer(final DetectorConfig config, final List<CohortRow> cohortRows) {
        this.config = config;
        this.cohortRows = cohortRows;
        this.rules = new MachineSpeedRules(config.burst(), config.crawl(), config.grace());
    }

    /** The longest window of any scale: how far around an episode its explanation looks by default. */
    public Duration longestWindow() {
        final Duration burst = config.burst().longest();
        final Duration crawl = config.crawl().longest();
        return burst.compareTo(crawl) >= 0 ? burst : crawl;
    }

    /**
     * Explains {@code subject} over {@code from..to} (inclusive; null for the file's first or last row).
     *
     * @throws NothingToExplainException when the subject has no request in the range
     */
    public MachineSpeedExplanation explain(final Path file, final Subject subject, final Instant from, final Instant to, final int maxRequests) {
        final Pass pass = run(file, subject);
        return explanation(file, subject, pass, from == null ? pass.first() : from.toEpochMilli(), to == null ? pass.last() : to.toEpochMilli(), maxRequests);
    }

    /**
     * Explains the alert {@code id}: its key at its scope, over {@code from..to}, by default its episode (the latest
     * record's evidence) and the longest window before and after it.
     *
     * @throws NothingToExplainException when the rules raise no alert of that id on the file, naming those they raise for the key
     */
    public MachineSpeedExplanation explain(final Path file, final MachineSpeedAlertId id, final Instant from, final Instant to, final int maxRequests) {
        final Subject subject = Subject.of(id);
        final Pass pass = run(file, subject);
        final MachineSpeedExplanation.RaisedAlert alert = pass.alerts().get(id.text());
        if (alert == null) {
            final String raised = pass.alerts().isEmpty() ? "none" : String.join(", ", pass.alerts().keySet());
            throw new NothingToExplainException("the rules raise no alert " + id.text() + " on " + file + " (alerts raised for "
                    + subject.key() + " at scope " + id.scope() + ": " + raised + ")");
        }
        final long margin = longestWindow().toMillis();
        final long start = from != null ? from.toEpochMilli() : alert.latest().windowStart().toEpochMilli() - margin;
        final long end = to != null ? to.toEpochMilli() : alert.latest().windowEnd().toEpochMilli() + margin;
        return explanation(file, subject, pass, start, end, maxRequests);
    }

    /** One key of a scope: its state in the rules (null once forgotten), the requests the rules got, in order. */
    private static final class Key {
        ActivityState state;
        final List<Hit> hits = new ArrayList<>();
    }

    /** One machine-speed stage's clock: its watermark, when it sweeps next, and when each scope last swept. */
    private static final class Stage {
        long watermark = Long.MIN_VALUE;
        long nextSweep = Long.MIN_VALUE;
    }

    /** What the rules made of the subject's keys over the whole file. */
    private record Pass(List<MachineSpeedExplanation.Request> requests, List<Long> requestTimes, Map<Scope, TreeMap<String, Key>> keys,
                        Map<String, MachineSpeedExplanation.RaisedAlert> alerts, long first, long last) {
    }

    private Pass run(final Path file, final Subject subject) {
        final DetectorInput input = new DetectorInput(config, cohortRows);
        final List<MachineSpeedExplanation.Request> requests = new ArrayList<>();
        final List<Long> requestTimes = new ArrayList<>();
        final Map<Scope, TreeMap<String, Key>> keys = new EnumMap<>(Scope.class);
        final Map<Scope, Long> sweptAt = new EnumMap<>(Scope.class);
        for (final Scope scope : Scope.values()) {
            keys.put(scope, new TreeMap<>());
            sweptAt.put(scope, Long.MIN_VALUE);
        }
        final Map<String, MachineSpeedExplanation.RaisedAlert> alerts = new LinkedHashMap<>();
        final Stage byIp = new Stage();
        final Stage byUser = new Stage();
        final long sweepInterval = DetectorTopology.MACHINE_SPEED_SWEEP_INTERVAL.toMillis();
        final long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        input.read(file, new DetectorInput.Visitor() {
            @Override
            public void accepted(final EnrichedAccess access) {
                final String ip = access.access().ip();
                final Long userId = access.access().userId();
                final long time = access.access().time().toEpochMilli();
                final boolean allowlisted = config.allowlist().contains(ip);
                if (subject.owns(ip, userId)) {
                    note(time, access.access().path(), userId, access.access().cohortId(), ip, access.lesson(),
                            access.lesson() == null ? "not a lesson" : allowlisted ? "allowlisted" : null);
                }
                if (access.lesson() == null || allowlisted) {
                    return;
                }
                final Hit hit = new Hit(time, access.lesson(), ip, userId, access.access().cohortId(), access.role().label());
                // the by-IP stage: the ip and client scopes, one watermark
                byIp.watermark = Math.max(byIp.watermark, time);
                hit(Scope.IP, subject.keyAt(Scope.IP, ip, userId), hit);
                hit(Scope.CLIENT, subject.keyAt(Scope.CLIENT, ip, userId), hit);
                if (byIp.watermark >= byIp.nextSweep) {
                    sweep(Scope.IP, byIp.watermark);
                    sweep(Scope.CLIENT, byIp.watermark);
                    byIp.nextSweep = byIp.watermark + sweepInterval;
                }
                // the by-user stage: requests with a user only, its own watermark
                if (userId != null) {
                    byUser.watermark = Math.max(byUser.watermark, time);
                    hit(Scope.USER, subject.keyAt(Scope.USER, ip, userId), hit);
                    if (byUser.watermark >= byUser.nextSweep) {
                        sweep(Scope.USER, byUser.watermark);
                        byUser.nextSweep = byUser.watermark + sweepInterval;
                    }
                }
            }

            @Override
            public void rejected(final HistoryRow row, final long time, final String reason) {
                if (subject.owns(row.ip() == null ? null : row.ip().trim(), row.userId())) {
                    note(time, row.path(), row.userId(), row.cohortId(), row.ip(), null, "dead-lettered (" + reason + ")");
                }
            }

            private void note(final long time, final String path, final Long userId, final Integer cohortId, final String ip,
                              final String lesson, final String note) {
                requests.add(new MachineSpeedExplanation.Request(Instant.ofEpochMilli(time), path, userId, cohortId, ip, lesson, note));
                requestTimes.add(time);
                span[0] = Math.min(span[0], time);
                span[1] = Math.max(span[1], time);
            }

            /** As the topology's scope does: a request older than what the scope keeps of a forgotten key is late for it. */
            private void hit(final Scope scope, final String key, final Hit hit) {
                if (key == null) {
                    return;
                }
                final Key known = keys.get(scope).computeIfAbsent(key, k -> new Key());
                if (known.state == null && sweptAt.get(scope) != Long.MIN_VALUE && hit.time() < sweptAt.get(scope) - rules.retentionMillis(scope)) {
                    return;
                }
                if (known.state == null) {
                    known.state = new ActivityState();
                }
                known.hits.add(hit);
                emit(scope, key, rules.onHit(known.state, hit, scope));
            }

            private void sweep(final Scope scope, final long clock) {
                sweptAt.put(scope, Math.max(sweptAt.get(scope), clock));
                for (final Map.Entry<String, Key> entry : keys.get(scope).entrySet()) {
                    final Key key = entry.getValue();
                    if (key.state == null) {
                        continue;
                    }
                    emit(scope, entry.getKey(), rules.onIdle(key.state, clock));
                    if (rules.isExpired(key.state, clock, scope)) {
                        key.state = null;
                    }
                }
            }

            private void emit(final Scope scope, final String key, final List<Signal> signals) {
                for (final Signal signal : signals) {
                    final MachineSpeedAlert alert = alertOf(input, scope, key, signal);
                    final MachineSpeedExplanation.RaisedAlert known = alerts.get(alert.alertId());
                    alerts.put(alert.alertId(), new MachineSpeedExplanation.RaisedAlert(
                            signal.open() || known == null ? alert : known.opened(), alert));
                }
            }
        });
        return new Pass(requests, requestTimes, keys, alerts, span[0], span[1]);
    }

    /** The alert the topology forwards for a signal of {@code key} at {@code scope}: who the key names, the cohorts by the table. */
    private MachineSpeedAlert alertOf(final DetectorInput input, final Scope scope, final String key, final Signal signal) {
        final String ip;
        final Long userId;
        switch (scope) {
            case IP -> {
                ip = key;
                userId = null;
            }
            case CLIENT -> {
                final ClientKey client = ClientKey.parse(key);
                ip = client.ip();
                userId = client.userId();
            }
            default -> {
                ip = null;
                userId = Long.valueOf(key);
            }
        }
        final List<CohortSeen> cohorts = new ArrayList<>();
        for (final int id : signal.episode().cohorts()) {
            final Cohort cohort = input.cohort(id);
            cohorts.add(cohort == null ? new CohortSeen(id, null, Program.UNKNOWN) : new CohortSeen(id, cohort.name(), cohort.programId()));
        }
        return MachineSpeedAlert.of(scope.label(), key, ip, userId, signal, config.burst(), config.crawl(), cohorts);
    }

    private MachineSpeedExplanation explanation(final Path file, final Subject subject, final Pass pass, final long from, final long to,
                                                final int maxRequests) {
        final CampusTime campus = new CampusTime(config.campusZone());
        final List<MachineSpeedExplanation.Request> inRange = new ArrayList<>();
        for (int i = 0; i < pass.requests().size(); i++) {
            final long time = pass.requestTimes().get(i);
            if (time >= from && time <= to) {
                inRange.add(pass.requests().get(i));
            }
        }
        if (pass.requests().isEmpty()) {
            throw new NothingToExplainException("no request " + subject.requestsOf() + " in " + file + " at all");
        }
        if (inRange.isEmpty()) {
            final String span = "its " + pass.requests().size() + " requests lie between " + campus.format(pass.first()) + " and "
                    + campus.format(pass.last());
            throw new NothingToExplainException("no request " + subject.requestsOf() + " in " + file + " between " + campus.format(from)
                    + " and " + campus.format(to) + " (campus time, " + config.campusZone() + "): " + span);
        }
        final List<MachineSpeedExplanation.RaisedAlert> alerts = pass.alerts().values().stream()
                .filter(a -> !a.latest().windowStart().isAfter(Instant.ofEpochMilli(to)) && !a.latest().windowEnd().isBefore(Instant.ofEpochMilli(from)))
                .sorted(Comparator.comparing((MachineSpeedExplanation.RaisedAlert a) -> a.latest().detectedAt()).thenComparing(a -> a.latest().alertId()))
                .toList();
        final List<MachineSpeedExplanation.ScopePeaks> scopes = new ArrayList<>();
        for (final Scope scope : Scope.values()) {
            if (subject.scopes().contains(scope)) {
                scopes.add(scopePeaks(scope, pass.keys().get(scope), alerts, from, to));
            }
        }
        final long lessons = inRange.stream().filter(r -> r.lesson() != null).count();
        final long rejected = inRange.stream().filter(r -> r.note() != null && r.note().startsWith("dead-lettered")).count();
        final int shown = Math.min(inRange.size(), Math.max(0, maxRequests));
        return new MachineSpeedExplanation(file.toString(), subject.label(), config.campusZone().getId(), Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to), inRange.size(), lessons, rejected, List.copyOf(inRange.subList(0, shown)), inRange.size() - shown,
                scopes, alerts);
    }

    /** Every scale's peak at one scope: the closest of the scope's keys, fired when an alert of the range opened at that scale. */
    private MachineSpeedExplanation.ScopePeaks scopePeaks(final Scope scope, final Map<String, Key> keys,
                                                          final List<MachineSpeedExplanation.RaisedAlert> alerts, final long from, final long to) {
        List<ScalePeak> best = PacePeaks.of(null, List.of(), scope, config.burst(), config.crawl(), from, to);
        for (final Map.Entry<String, Key> entry : keys.entrySet()) {
            final List<ScalePeak> peaks = PacePeaks.of(entry.getKey(), entry.getValue().hits, scope, config.burst(), config.crawl(), from, to);
            final List<ScalePeak> merged = new ArrayList<>(peaks.size());
            for (int i = 0; i < peaks.size(); i++) {
                merged.add(best.get(i).merge(peaks.get(i)));
            }
            best = merged;
        }
        final List<ScalePeak> judged = new ArrayList<>(best.size());
        for (final ScalePeak peak : best) {
            final List<String> fired = alerts.stream().map(MachineSpeedExplanation.RaisedAlert::opened)
                    .filter(a -> a.scope().equals(scope.label()) && a.rule().equals(peak.rule()) && a.threshold().window().equals(peak.window()))
                    .map(MachineSpeedAlert::alertId).toList();
            judged.add(peak.judged(fired.isEmpty() ? peak.verdict() : ScalePeak.FIRED, fired));
        }
        return new MachineSpeedExplanation.ScopePeaks(scope.label(), keys.size(), judged);
    }
}
