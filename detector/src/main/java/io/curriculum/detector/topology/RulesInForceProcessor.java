package io.curriculum.detector.topology;

import io.curriculum.detector.rules.InvalidRuleException;
import io.curriculum.detector.rules.RuleId;
import io.curriculum.detector.rules.RuleRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global processor of the rules-in-force topic: keeps its records in the rules store and puts each in force in the
 * {@link RuleBook}, from the next record any task processes. Streams runs it again over the whole topic at every start
 * (a global store with a processor is restored through it), so the rules in force survive restarts. A record the
 * configuration no longer accepts (it was valid when it came in: the configuration changed since) is skipped with a
 * warning and the rule keeps what was in force.
 */
final class RulesInForceProcessor implements Processor<String, byte[], Void, Void> {

    static final String STORE = "rules-in-force-store";
    private static final Logger LOG = LoggerFactory.getLogger(RulesInForceProcessor.class);

    private final RuleBook book;
    private KeyValueStore<String, byte[]> store;

    RulesInForceProcessor(final RuleBook book) {
        this.book = book;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final RuleId rule = RuleId.of(record.key());
        if (rule == null) {
            LOG.warn("rules in force: record of unknown rule '{}' skipped", record.key());
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            book.set(book.current().without(rule));
            LOG.info("rule {}: back to the configuration's values", rule.id());
            return;
        }
        try {
            final RuleRecord parsed = RuleRecord.parse(record.key(), record.value());
            book.set(book.current().with(parsed));
            store.put(record.key(), record.value());
            LOG.info("rule {} version {} in force{}", rule.id(), parsed.version(), parsed.simulate() ? " (simulated)" : "");
        } catch (final InvalidRuleException e) {
            LOG.warn("rule {}: a record the configuration no longer accepts is skipped, the version in force stays: {}", rule.id(), e.getMessage());
        }
    }
}
