package io.curriculum.detector.topology;

import io.curriculum.detector.decode.RejectReason;
import io.curriculum.detector.rules.InvalidRuleException;
import io.curriculum.detector.rules.RuleRecord;
import io.curriculum.detector.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Validates the records of the rules topic against the configuration's rules: a valid one (or a tombstone: back to the
 * configuration's values) goes on, with its original bytes, to the rules-in-force topic; an invalid one to the dead-letter
 * topic ({@code dlq.reason} {@code invalid-rule}, the detail naming the key), so the last valid version stays in force.
 */
final class RuleIntakeProcessor implements FixedKeyProcessor<byte[], byte[], Decoded<byte[]>> {

    private final RuleSet defaults;
    private FixedKeyProcessorContext<byte[], Decoded<byte[]>> context;

    RuleIntakeProcessor(final RuleSet defaults) {
        this.defaults = defaults;
    }

    @Override
    public void init(final FixedKeyProcessorContext<byte[], Decoded<byte[]>> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<byte[], byte[]> record) {
        final String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        try {
            if (record.value() == null) {
                RuleRecord.parse(key, "{\"version\":1}".getBytes(StandardCharsets.UTF_8));
            } else {
                defaults.with(RuleRecord.parse(key, record.value()));
            }
            context.forward(record.withValue(Decoded.accepted(record.value())));
        } catch (final InvalidRuleException e) {
            context.forward(record.withValue(Decoded.rejected(Rejections.of(context, RejectReason.INVALID_RULE,
                    "rule '" + key + "': " + e.getMessage(), record.value()))));
        }
    }
}
