package io.curriculum.detector.topology;

import io.curriculum.detector.decode.CohortChange;
import io.curriculum.detector.decode.CohortDecoder;
import io.curriculum.detector.decode.InvalidRecordException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Decodes cohorts change events; an unusable one is rejected with its reason. */
final class CohortIntakeProcessor implements FixedKeyProcessor<byte[], byte[], Decoded<CohortChange>> {

    private final CohortDecoder decoder;
    private FixedKeyProcessorContext<byte[], Decoded<CohortChange>> context;

    CohortIntakeProcessor(final CohortDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void init(final FixedKeyProcessorContext<byte[], Decoded<CohortChange>> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<byte[], byte[]> record) {
        try {
            context.forward(record.withValue(Decoded.accepted(decoder.decode(record.key(), record.value()))));
        } catch (final InvalidRecordException e) {
            context.forward(record.withValue(Decoded.rejected(Rejections.of(context, e.reason(), e.getMessage(), record.value()))));
        }
    }
}
