package io.curriculum.detector.topology;

import io.curriculum.detector.decode.RejectReason;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds a {@link Rejected} with the coordinates of the record being processed. */
final class Rejections {

    private Rejections() {
    }

    static Rejected of(final ProcessingContext context, final RejectReason reason, final String detail, final byte[] value) {
        final RecordMetadata source = context.recordMetadata().orElse(null);
        return new Rejected(reason, detail,
                source == null ? "" : source.topic(),
                source == null ? -1 : source.partition(),
                source == null ? -1L : source.offset(),
                value);
    }
}
