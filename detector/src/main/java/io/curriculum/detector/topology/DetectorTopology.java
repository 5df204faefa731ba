package io.curriculum.detector.topology;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.decode.CohortChange;
import io.curriculum.detector.decode.CohortDecoder;
import io.curriculum.detector.decode.LogDecoder;
import io.curriculum.detector.detect.ActivityStateCodec;
import io.curriculum.detector.detect.BandSeries;
import io.curriculum.detector.model.Access;
import io.curriculum.detector.model.BandAlert;
import io.curriculum.detector.model.Cohort;
import io.curriculum.detector.model.EnrichedAccess;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.model.ViewHit;
import io.curriculum.detector.rules.RuleSet;
import io.curriculum.detector.serde.AccessSerde;
import io.curriculum.detector.serde.ViewHitSerde;
import io.curriculum.detector.streams.internals.MirroredStore;
import io.curriculum.detector.views.LessonStats;
import io.curriculum.detector.views.UserActivity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector as a pure function of its configuration: {@code build(config) -> Topology}, no I/O.
 *
 * <p>Inputs (Debezium JSON, any envelope form, see {@code io.curriculum.detector.decode}):
 * <ul>
 *   <li>{@code logs}: key the row key as Debezium writes it (ignored), value a change event of {@code curriculum_logs.logs};</li>
 *   <li>{@code cohorts}: key {@code {"id":N}} (used for tombstones), value a change event of {@code curriculum_logs.cohorts};</li>
 *   <li>{@code rules}: key the rule id (String), value a {@link io.curriculum.detector.rules.RuleRecord} JSON or null (back to the
 *   configuration's values), compacted.</li>
 * </ul>
 * Outputs:
 * <ul>
 *   <li>{@code suspiciousIp}: key the alert id (String), value {@link io.curriculum.detector.model.MachineSpeedAlert} JSON;</li>
 *   <li>{@code lessonBand}: key the alert id (String), value {@link io.curriculum.detector.model.BandAlert} JSON;</li>
 *   <li>{@code deadLetter}: the original key and value bytes, with {@code dlq.*} headers giving the reason;</li>
 *   <li>{@code cohortTable}: key the cohort id (String), value {@link Cohort} JSON or null when deleted (compacted), read back as the
 *   cohort GlobalKTable;</li>
 *   <li>{@code rulesInForce}: the rule records the detector accepted, as they came (compacted), read back by every instance as a
 *   global store whose processor puts each in force for the processors from their next record ({@link RuleBook});</li>
 *   <li>{@code simulated}: key the alert id, value a machine-speed or band alert JSON of a rule marked {@code simulate}: its
 *   alerts go there instead of to their live topic.</li>
 * </ul>
 * Stages: decode (dead-letter what cannot be used, absorb duplicates) → key by IP (one repartition, skipped
 * when the input is already partitioned by IP) → enrich from the cohort table → machine-speed rules per IP
 * and per client; and → key by program (one slim repartition: value the lesson) → lesson bands per program
 * (lesson {@code *}: all its lessons together) and per lesson, judged in proportion to its program's traffic; and → key by user (one slim repartition) → the
 * analysts' views and the inactive-student alert, and the machine-speed rules per user across addresses. With a
 * one-partition logs topic ({@code detector.repartition} never, or auto resolved so) the three re-keyings stay in
 * memory: the whole topology is one task.
 */
public final class DetectorTopology {

    public static final String COHORT_STORE = "cohort-table-store";
    /** The machine-speed states (ActivityStateCodec bytes) by scope, for the analysts' API: keys an IP, a client key, a user id. */
    public static final String IP_ACTIVITY_STORE = MachineSpeedProcessor.IP_STORE;
    public static final String CLIENT_ACTIVITY_STORE = MachineSpeedProcessor.CLIENT_STORE;
    public static final String USER_ACTIVITY_STORE = UserMachineSpeedProcessor.STORE;
    /** The rule records in force (a global store, on every instance): key the rule id, value the record's JSON bytes. */
    public static final String RULES_STORE = RulesInForceProcessor.STORE;
    public static final String ACCESS_BY_IP = "access-by-ip";
    public static final String LESSON_HITS = "program-lesson-hits";
    public static final String ACCESS_BY_USER = "access-by-user";
    /**
     * The header of a logs record that marks the end of the input (its key and value are ignored): the intake releases every
     * row it holds for clock skew. A replay writes one after its last row; a live detector never sees one.
     */
    public static final String END_OF_INPUT = "detector.end-of-input";

    /**
     * Event time between the machine-speed stages' sweeps (the first request after each interval of the newest event time
     * closes quiet episodes and drops idle keys): tools that run the rules over a file without Kafka sweep as often, so
     * their alerts close where the topology's do.
     */
    public static final Duration MACHINE_SPEED_SWEEP_INTERVAL = MachineSpeedProcessor.SWEEP_INTERVAL;

    /** The Kafka topic of the by-program repartition of lesson hits of the application {@code applicationId} (Streams prefixes it with the id). */
    public static String lessonHitsTopic(final String applicationId) {
        return applicationId + "-" + LESSON_HITS + "-repartition";
    }

    /** The internal topic of the by-user repartition behind the analysts' views, for an application id. */
    public static String accessByUserTopic(final String applicationId) {
        return applicationId + "-" + ACCESS_BY_USER + "-repartition";
    }

    /**
     * The repartition topics the topology of {@code config} reads back (empty when it runs as one task), so that a caller can
     * tell when it has consumed everything: the by-IP one when the input is not keyed by IP, the by-lesson and by-user ones.
     */
    public static List<String> repartitionTopics(final DetectorConfig config) {
        if (!config.repartitions()) {
            return List.of();
        }
        final String id = config.applicationId();
        final List<String> topics = new ArrayList<>();
        if (!config.inputKeyedByIp()) {
            topics.add(id + "-" + ACCESS_BY_IP + "-repartition");
        }
        topics.add(lessonHitsTopic(id));
        topics.add(accessByUserTopic(id));
        return topics;
    }

    private final DetectorConfig config;
    private final Topics topics;
    /** The rules in force for this topology's processors: the configuration's until a rule record says otherwise. */
    private final RuleBook rules;

    private DetectorTopology(final DetectorConfig config) {
        this.config = config;
        this.topics = Topics.of(config.topics());
        this.rules = new RuleBook(RuleSet.defaults(config));
    }

    public static Topology build(final DetectorConfig config) {
        return new DetectorTopology(config).build();
    }

    /**
     * A builder that sees the application's configuration, so {@code ensure.explicit.internal.resource.naming}
     * takes effect (passed to {@code builder.build(props)} instead, it would only log a warning).
     */
    static StreamsBuilder newBuilder(final DetectorConfig config) {
        return new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsConfig())));
    }

    private Topology build() {
        final StreamsBuilder builder = newBuilder(config);
        final KStream<byte[], Decoded<Access>> logs = decodeLogs(builder);
        final KStream<byte[], Decoded<CohortChange>> cohorts = decodeCohorts(builder);
        // each input dead-letters on its own: merged, the two inputs would make one task of two partitions, which checks
        // at every record whether the other partition has data (a tenth of the stream thread's time, measured)
        deadLetters(rejections(logs, "log"), "log");
        deadLetters(rejections(cohorts, "cohort"), "cohort");
        publishCohortTable(cohorts.filterNot((key, decoded) -> decoded.isRejected(), Named.as("cohort-changes")));
        final KStream<byte[], Decoded<byte[]>> ruleRecords = validateRules(builder);
        deadLetters(rejections(ruleRecords, "rule"), "rule");
        publishRulesInForce(ruleRecords.filterNot((key, decoded) -> decoded.isRejected(), Named.as("rules-accepted")));
        rulesInForce(builder);
        final KStream<String, EnrichedAccess> enriched = enrich(keyByIp(logs.filterNot((key, decoded) -> decoded.isRejected(), Named.as("log-accesses"))),
                cohortTable(builder));
        detectMachineSpeed(builder, enriched);
        detectLessonBands(builder, enriched);
        final KStream<String, ViewHit> byUser = byUser(enriched);
        analystViews(builder, byUser);
        detectMachineSpeedPerUser(builder, byUser);
        return builder.build();
    }

    private KStream<byte[], Decoded<Access>> decodeLogs(final StreamsBuilder builder) {
        // In memory: they hold only the rows within the grace and the rows held for clock skew, and purging the oldest rows from RocksDB would leave
        // tombstones at the head of the key space that every later purge must step over.
        builder.addStateStore(MirroredStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LogIntakeProcessor.STORE), Serdes.Bytes(), Serdes.ByteArray()), Longs::decode, Longs::encode));
        builder.addStateStore(MirroredStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LogIntakeProcessor.HELD_STORE), Serdes.Bytes(), Serdes.ByteArray()), bytes -> bytes, bytes -> bytes));
        final LogDecoder decoder = new LogDecoder(config.timePrecisionMode(), config.campusZone(), config.maxPathLength());
        return builder.stream(topics.logs().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("logs-source"))
                .process(() -> new LogIntakeProcessor(decoder, config.grace(), config.futureTolerance()), Named.as("decode-logs"),
                        LogIntakeProcessor.STORE, LogIntakeProcessor.HELD_STORE);
    }

    private KStream<byte[], Decoded<CohortChange>> decodeCohorts(final StreamsBuilder builder) {
        final CohortDecoder decoder = new CohortDecoder(config.timePrecisionMode());
        return builder.stream(topics.cohorts().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("cohorts-source"))
                .processValues(() -> new CohortIntakeProcessor(decoder), Named.as("decode-cohorts"));
    }

    /** The records of the rules topic, validated against the configuration's rules ({@link RuleIntakeProcessor}). */
    private KStream<byte[], Decoded<byte[]>> validateRules(final StreamsBuilder builder) {
        final RuleSet defaults = RuleSet.defaults(config);
        return builder.stream(topics.rules().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("rules-source"))
                .processValues(() -> new RuleIntakeProcessor(defaults), Named.as("validate-rules"));
    }

    private void publishRulesInForce(final KStream<byte[], Decoded<byte[]>> accepted) {
        accepted.map((key, decoded) -> KeyValue.pair(new String(key, StandardCharsets.UTF_8), decoded.value()), Named.as("rule-by-id"))
                .to(topics.rulesInForce().name(), Produced.with(topics.rulesInForce().keySerde(), topics.rulesInForce().valueSerde())
                        .withName("rules-in-force-sink"));
    }

    /** The rules in force, read by every instance as a global store and put in force in the {@link RuleBook}. */
    private void rulesInForce(final StreamsBuilder builder) {
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RulesInForceProcessor.STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                topics.rulesInForce().name(),
                Consumed.with(topics.rulesInForce().keySerde(), topics.rulesInForce().valueSerde()).withName("rules-in-force-source"),
                () -> new RulesInForceProcessor(rules));
    }

    private static <T> KStream<byte[], Rejected> rejections(final KStream<byte[], Decoded<T>> decoded, final String input) {
        return decoded.filter((key, value) -> value.isRejected(), Named.as(input + "-rejections"))
                .mapValues(Decoded::rejected, Named.as(input + "-rejection"));
    }

    private void deadLetters(final KStream<byte[], Rejected> rejections, final String input) {
        rejections.processValues(DeadLetterProcessor::new, Named.as(input + "-to-dead-letter"))
                .to(topics.deadLetter().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(input + "-dead-letter-sink"));
    }

    private void publishCohortTable(final KStream<byte[], Decoded<CohortChange>> changes) {
        changes.map((key, decoded) -> KeyValue.pair(String.valueOf(decoded.value().id()), decoded.value().cohort()), Named.as("cohort-by-id"))
                .to(topics.cohortTable().name(), Produced.with(topics.cohortTable().keySerde(), topics.cohortTable().valueSerde())
                        .withName("cohort-table-sink"));
    }

    private GlobalKTable<String, Cohort> cohortTable(final StreamsBuilder builder) {
        return builder.globalTable(topics.cohortTable().name(),
                Consumed.with(topics.cohortTable().keySerde(), topics.cohortTable().valueSerde()).withName("cohort-table-source"),
                Materialized.<String, Cohort, KeyValueStore<Bytes, byte[]>>as(COHORT_STORE)
                        .withKeySerde(topics.cohortTable().keySerde())
                        .withValueSerde(topics.cohortTable().valueSerde()));
    }

    private KStream<String, Access> keyByIp(final KStream<byte[], Decoded<Access>> accepted) {
        final KStream<String, Access> byIp = accepted.map((key, decoded) -> KeyValue.pair(decoded.value().ip(), decoded.value()), Named.as("key-by-ip"));
        if (config.inputKeyedByIp() || !config.repartitions()) {
            return byIp;
        }
        return byIp.repartition(Repartitioned.with(Serdes.String(), new AccessSerde()).withName(ACCESS_BY_IP));
    }

    private KStream<String, EnrichedAccess> enrich(final KStream<String, Access> accesses, final GlobalKTable<String, Cohort> cohorts) {
        return accesses.leftJoin(cohorts,
                (ip, access) -> access.cohortId() == null ? null : String.valueOf(access.cohortId()),
                EnrichedAccess::of,
                Named.as("enrich-with-cohort"));
    }

    private void detectMachineSpeed(final StreamsBuilder builder, final KStream<String, EnrichedAccess> enriched) {
        for (final String store : new String[] {MachineSpeedProcessor.IP_STORE, MachineSpeedProcessor.CLIENT_STORE}) {
            builder.addStateStore(mirrored(persistent(store), ActivityStateCodec::decode, ActivityStateCodec::encode));
        }
        alertsTo(enriched.process(() -> new MachineSpeedProcessor(rules, COHORT_STORE),
                        Named.as("machine-speed"), MachineSpeedProcessor.IP_STORE, MachineSpeedProcessor.CLIENT_STORE),
                MachineSpeedAlert::simulated, topics.suspiciousIp(), "suspicious-ip");
    }

    private void detectLessonBands(final StreamsBuilder builder, final KStream<String, EnrichedAccess> enriched) {
        builder.addStateStore(mirrored(persistent(LessonBandProcessor.STORE), BandSeries::decode, BandSeries::encode));
        final KStream<String, String> byProgram = enriched
                .filter((ip, hit) -> hit.lesson() != null, Named.as("lesson-hits-only"))
                .map((ip, hit) -> KeyValue.pair(String.valueOf(hit.programId()), hit.lesson()), Named.as("key-by-program"));
        alertsTo(repartitioned(byProgram, Repartitioned.with(Serdes.String(), Serdes.String()).withName(LESSON_HITS))
                        .process(() -> new LessonBandProcessor(rules), Named.as("lesson-bands"), LessonBandProcessor.STORE),
                BandAlert::simulated, topics.lessonBand(), "lesson-band");
    }

    /**
     * Every access keyed by user (one slim repartition: a user's accesses come from many IPs), for the analysts' views and
     * the per-user machine-speed rules alike; accesses without a user are keyed by {@code ip:<ip>}.
     */
    private KStream<String, ViewHit> byUser(final KStream<String, EnrichedAccess> enriched) {
        final KStream<String, ViewHit> byUser = enriched.map((ip, access) -> KeyValue.pair(
                access.access().userId() == null ? "ip:" + ip : String.valueOf(access.access().userId()), ViewHit.of(access)), Named.as("key-by-user"));
        return repartitioned(byUser, Repartitioned.with(Serdes.String(), new ViewHitSerde()).withName(ACCESS_BY_USER));
    }

    /** The analysts' views ({@link ViewStores}) and the inactive-student alert, in one task keyed by user. */
    private void analystViews(final StreamsBuilder builder, final KStream<String, ViewHit> byUser) {
        builder.addStateStore(mirrored(persistent(ViewStores.LESSONS), LessonStats::decode, LessonStats::encode));
        builder.addStateStore(mirrored(persistent(ViewStores.COHORT_LESSONS), Longs::decode, Longs::encode));
        builder.addStateStore(mirrored(persistent(ViewStores.USERS), UserActivity::decode, UserActivity::encode));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ViewStores.CLOCK), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        byUser.process(() -> new AnalystViewsProcessor(config.views(), config.campusZone(), config.grace(), COHORT_STORE),
                        Named.as("analyst-views"), ViewStores.LESSONS, ViewStores.COHORT_LESSONS, ViewStores.USERS, ViewStores.CLOCK)
                .to(topics.inactiveStudent().name(), Produced.with(topics.inactiveStudent().keySerde(), topics.inactiveStudent().valueSerde())
                        .withName("inactive-student-sink"));
    }

    /**
     * The machine-speed rules per user across addresses, on the by-user stream the views read already: no repartition
     * of its own; its alerts go to the suspicious-IP topic with the other scopes.
     */
    private void detectMachineSpeedPerUser(final StreamsBuilder builder, final KStream<String, ViewHit> byUser) {
        builder.addStateStore(mirrored(persistent(UserMachineSpeedProcessor.STORE), ActivityStateCodec::decode, ActivityStateCodec::encode));
        alertsTo(byUser.process(() -> new UserMachineSpeedProcessor(rules, COHORT_STORE),
                        Named.as("machine-speed-per-user"), UserMachineSpeedProcessor.STORE),
                MachineSpeedAlert::simulated, topics.suspiciousIp(), "suspicious-ip-per-user");
    }

    /**
     * Alerts to their live topic ({@code <name>-sink}), or, those of a rule marked simulate, to the simulation topic
     * ({@code <name>-simulated-sink}) with the same serde: never both.
     */
    private <A> void alertsTo(final KStream<String, A> alerts, final Predicate<A> simulated, final Topic<String, A> live, final String name) {
        alerts.split(Named.as(name + "-"))
                .branch((id, alert) -> simulated.test(alert), Branched.<String, A>withConsumer(branch -> branch.to(topics.simulated().name(),
                        Produced.with(live.keySerde(), live.valueSerde()).withName(name + "-simulated-sink"))).withName("simulated"))
                .defaultBranch(Branched.<String, A>withConsumer(branch -> branch.to(live.name(),
                        Produced.with(live.keySerde(), live.valueSerde()).withName(name + "-sink"))).withName("live"));
    }

    /**
     * A {@link MirroredStore} over a RocksDB store, holding at most {@code detector.state.cache-max-entries} decoded entries
     * (0: all). The in-memory stores of the intake stay unbounded: their bytes are in the heap anyway.
     */
    private <V> StoreBuilder<MirroredStore<String, V>> mirrored(final StoreBuilder<KeyValueStore<String, byte[]>> beneath,
                                                                final Function<byte[], V> decode, final Function<V, byte[]> encode) {
        return MirroredStore.builder(beneath, decode, encode, config.stateCacheMaxEntries());
    }

    /** A RocksDB store of String keys and binary values, logged, without a record cache (a {@link MirroredStore} goes on top). */
    private static StoreBuilder<KeyValueStore<String, byte[]>> persistent(final String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }

    /**
     * A re-keyed stream through its repartition topic, or as it is when the topology runs as one task
     * ({@code detector.repartition} resolved to never): every key is in that task already.
     */
    private <K, V> KStream<K, V> repartitioned(final KStream<K, V> rekeyed, final Repartitioned<K, V> through) {
        return config.repartitions() ? rekeyed.repartition(through) : rekeyed;
    }

    /** Every topic this configuration reads or writes, by name, with the configs to create it with. */
    public static Map<String, Map<String, String>> topicsToCreate(final DetectorConfig config) {
        final Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (final Topic<?, ?> topic : Topics.of(config.topics()).all()) {
            all.put(topic.name(), topic.configs());
        }
        return all;
    }
}
