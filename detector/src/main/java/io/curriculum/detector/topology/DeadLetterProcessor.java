package io.curriculum.detector.topology;

import io.curriculum.detector.decode.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Turns a rejection into its dead-letter record: the original key and value bytes, unchanged, and headers
 * that say why ({@code dlq.reason}, {@code dlq.detail}) and where it came from ({@code dlq.topic},
 * {@code dlq.partition}, {@code dlq.offset}).
 */
final class DeadLetterProcessor implements FixedKeyProcessor<byte[], Rejected, byte[]> {

    static final String REASON = "dlq.reason";
    static final String DETAIL = "dlq.detail";
    static final String TOPIC = "dlq.topic";
    static final String PARTITION = "dlq.partition";
    static final String OFFSET = "dlq.offset";

    private FixedKeyProcessorContext<byte[], byte[]> context;
    private final Map<RejectReason, Sensor> byReason = new EnumMap<>(RejectReason.class);

    @Override
    public void init(final FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<byte[], Rejected> record) {
        final Rejected rejected = record.value();
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON, utf8(rejected.reason().code()));
        headers.add(DETAIL, utf8(rejected.detail()));
        headers.add(TOPIC, utf8(rejected.topic()));
        headers.add(PARTITION, utf8(String.valueOf(rejected.partition())));
        headers.add(OFFSET, utf8(String.valueOf(rejected.offset())));
        byReason.computeIfAbsent(rejected.reason(), reason -> DetectorMetrics.counter(context.metrics(), "dead-lettered",
                "records sent to the dead-letter topic (their original bytes, with the reason in the headers), by reason", Map.of("reason", reason.code()))).record();
        context.forward(record.withValue(rejected.value()).withHeaders(headers));
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
