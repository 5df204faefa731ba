package io.curriculum.app.api;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.detect.ActivityStateCodec;
import io.curriculum.detector.detect.ActivitySummary;
import io.curriculum.detector.detect.Scope;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.detector.model.ClientKey;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.MachineSpeedAlertId;
import io.curriculum.detector.rules.InvalidRuleException;
import io.curriculum.detector.rules.RuleId;
import io.curriculum.detector.rules.RuleRecord;
import io.curriculum.detector.rules.RuleSet;
import io.curriculum.detector.topology.DetectorTopology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /api/explain?ip=X|user=N|alert=ID}: what the running detector can say about an address, a user or an alert,
 * from what it keeps. The subject and its keys are those of {@code explain FILE} ({@link Subject}: the ip and client scopes
 * of an address, the user and client scopes of a user, an alert's own key); for each key held, the machine-speed state's
 * {@link ActivitySummary} under the rules in force (the rules-in-force global store merged with the configuration), and the
 * subject's alerts on the alert topics. A live detector keeps windows, not the requests behind them: the requests older than
 * the longest burst window, the busiest window of the past and the crawl slots per scale come only from
 * {@code explain FILE} on the history. Keys of this instance's tasks only (with several instances, ask each).
 */
final class LiveExplainer {

    /** Alerts read back at most to find the subject's. */
    private static final int ALERTS_SCANNED = 10_000;
    private static final String LIMITS = "a live detector keeps each key's windows, not its history: the summaries hold the requests of the "
            + "longest burst window and the distinct pages of the longest crawl window, as of the last commit, for the keys of this "
            + "instance; for every request and each scale's busiest window, run 'detector explain FILE' on the history";

    private final KafkaStreams streams;
    private final DetectorConfig config;
    private final RecentAlerts alerts;

    LiveExplainer(final KafkaStreams streams, final DetectorConfig config, final RecentAlerts alerts) {
        this.streams = streams;
        this.config = config;
        this.alerts = alerts;
    }

    /** The explanation of the subject of a query ({@code ip}, {@code user} or {@code alert}, exactly one). */
    Map<String, Object> explain(final Map<String, String> query) throws IOException {
        final Subject subject = subject(query);
        final RuleSet rules = rulesInForce();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", subject.label());
        body.put("rule", Map.of("ruleId", RuleId.MACHINE_SPEED.id(), "ruleVersion", rules.version(RuleId.MACHINE_SPEED),
                "simulated", rules.simulated(RuleId.MACHINE_SPEED)));
        final List<Map<String, Object>> keys = new ArrayList<>();
        for (final Scope scope : Scope.values()) {
            if (subject.scopes().contains(scope)) {
                for (final KeyValue<String, byte[]> held : held(scope, subject)) {
                    final Map<String, Object> key = new LinkedHashMap<>();
                    key.put("scope", scope.label());
                    key.put("key", held.key);
                    key.put("state", ActivitySummary.of(ActivityStateCodec.decode(held.value), rules.machineSpeed()));
                    keys.add(key);
                }
            }
        }
        body.put("keys", keys);
        body.put("alerts", alertsOf(subject));
        body.put("limits", LIMITS);
        return body;
    }

    private static Subject subject(final Map<String, String> query) {
        final List<String> given = new ArrayList<>();
        for (final String name : List.of("ip", "user", "alert")) {
            if (query.containsKey(name)) {
                given.add(name);
            }
        }
        if (given.size() != 1) {
            throw new IllegalArgumentException("give exactly one of ip=ADDRESS, user=N, alert=ALERT_ID");
        }
        return switch (given.get(0)) {
            case "ip" -> Subject.address(query.get("ip"));
            case "user" -> {
                try {
                    yield Subject.user(Long.parseLong(query.get("user")));
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException("user must be a user id, not '" + query.get("user") + "'");
                }
            }
            default -> {
                final String id = query.get("alert");
                if (!MachineSpeedAlertId.looksLikeOne(id)) {
                    throw new IllegalArgumentException("'" + id + "' is no machine-speed alert id (burst|<scope>|<key>|<time> or crawl|...)");
                }
                yield Subject.of(MachineSpeedAlertId.parse(id));
            }
        };
    }

    /** The configuration's rules with the records of the rules-in-force global store on top, as the processors have them. */
    private RuleSet rulesInForce() {
        RuleSet rules = RuleSet.defaults(config);
        try (KeyValueIterator<String, byte[]> records = store(DetectorTopology.RULES_STORE).all()) {
            while (records.hasNext()) {
                final KeyValue<String, byte[]> record = records.next();
                try {
                    rules = rules.with(RuleRecord.parse(record.key, record.value));
                } catch (final InvalidRuleException e) {
                    // the detector skips it too: the configuration's values stay in force for that rule
                }
            }
        }
        return rules;
    }

    private List<KeyValue<String, byte[]>> held(final Scope scope, final Subject subject) {
        final List<KeyValue<String, byte[]>> held = new ArrayList<>();
        switch (scope) {
            case IP -> add(held, DetectorTopology.IP_ACTIVITY_STORE, subject.key() != null ? subject.key() : subject.ip());
            case USER -> add(held, DetectorTopology.USER_ACTIVITY_STORE, subject.key() != null ? subject.key() : String.valueOf(subject.userId()));
            case CLIENT -> {
                if (subject.key() != null) {
                    add(held, DetectorTopology.CLIENT_ACTIVITY_STORE, subject.key());
                } else {
                    final ReadOnlyKeyValueStore<String, byte[]> clients = store(DetectorTopology.CLIENT_ACTIVITY_STORE);
                    // an address's clients are one range of keys (<ip>|...); a user's are spread over every address
                    try (KeyValueIterator<String, byte[]> all = subject.ip() != null ? clients.range(ClientKey.firstOf(subject.ip()), ClientKey.lastOf(subject.ip())) : clients.all()) {
                        while (all.hasNext()) {
                            final KeyValue<String, byte[]> entry = all.next();
                            final ClientKey client = ClientKey.parse(entry.key);
                            if ((subject.ip() == null || subject.ip().equals(client.ip())) && (subject.userId() == null || subject.userId().equals(client.userId()))) {
                                held.add(entry);
                            }
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("unknown scope " + scope);
        }
        return held;
    }

    private void add(final List<KeyValue<String, byte[]>> held, final String store, final String key) {
        final byte[] value = store(store).get(key);
        if (value != null) {
            held.add(KeyValue.pair(key, value));
        }
    }

    private List<MachineSpeedAlert> alertsOf(final Subject subject) throws IOException {
        final List<MachineSpeedAlert> found = new ArrayList<>();
        for (final AlertRecord alert : alerts.newest(ALERTS_SCANNED)) {
            if (!(alert instanceof MachineSpeedAlert machine)) {
                continue;
            }
            final boolean ip = subject.ip() == null || subject.ip().equals(machine.ip());
            final boolean user = subject.userId() == null || subject.userId().equals(machine.userId());
            final boolean key = subject.key() == null || subject.key().equals(MachineSpeedAlertId.parse(machine.alertId()).key());
            if (ip && user && key && subject.scopes().contains(scopeOf(machine))) {
                found.add(machine);
            }
        }
        return found;
    }

    private static Scope scopeOf(final MachineSpeedAlert alert) {
        for (final Scope scope : Scope.values()) {
            if (scope.label().equals(alert.scope())) {
                return scope;
            }
        }
        return null;
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(final String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }
}
