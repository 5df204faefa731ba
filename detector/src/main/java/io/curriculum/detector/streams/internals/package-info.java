/**
 * The one place where the detector leans on Kafka Streams internals: nothing outside this package may import
 * {@code org.apache.kafka.streams.state.internals} or {@code org.apache.kafka.streams.processor.internals}
 * ({@code KafkaStreamsInternalsTest} fails naming any file that does).
 *
 * <p><b>What is used.</b> {@link io.curriculum.detector.streams.internals.MirroredStore} implements
 * {@code org.apache.kafka.streams.state.internals.CachedStateStore} (and so names its {@code CacheFlushListener}):
 * Streams calls {@code flushCache()} on every store that is one, and {@code clearCache()} when it closes a task dirty.
 *
 * <p><b>Why no public API will do.</b> In Kafka Streams 4.3.1 a commit runs, per task: {@code StreamTask.prepareCommit}
 * → {@code StreamTask.flush()} → {@code ProcessorStateManager.flushCache()} (which calls {@code CachedStateStore.flushCache()},
 * or the public {@code StateStore.commit(Map)} only for a {@code TimeOrderedKeyValueBuffer}) and then
 * {@code RecordCollector.flush()}; then {@code TaskExecutor.commitOffsetsOrTransaction} commits the offsets, under
 * {@code exactly_once_v2} the transaction; only then {@code StreamTask.postCommit} → {@code maybeCheckpoint} →
 * {@code ProcessorStateManager.commit()} calls the public {@code StateStore.commit(Map)} (formerly {@code flush()}), and
 * under exactly-once only when a checkpoint is enforced. Changelog records written there would land after the
 * transaction that consumed the input that made them: a crash in between loses them. A punctuation that writes the
 * changes loses those made after it: the commit that follows takes the input offsets without them. Only
 * {@code flushCache()} runs inside the commit, before the producer flush, so the entries it writes are in the
 * transaction, exactly once. (Checked against the 4.3.1 jar's byte code of {@code StreamTask}, {@code TaskExecutor} and
 * {@code ProcessorStateManager}.)
 *
 * <p><b>What pins it.</b> {@code KafkaStreamsInternalsTest} fails when the Kafka Streams on the class path is not the
 * version this was written against; {@code StateRestoreIT} (module tools) restores a detector from its changelogs
 * mid-history and expects the alerts of one that never stopped.
 */
package io.curriculum.detector.streams.internals;
