package io.curriculum.detector.topology;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values and the topic-level configs it needs when created. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {
}
