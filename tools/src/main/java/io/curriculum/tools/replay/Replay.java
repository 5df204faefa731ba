package io.curriculum.tools.replay;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.StaticMembership;
import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.TopicNames;
import io.curriculum.detector.model.MachineSpeedAlert;
import io.curriculum.detector.serde.AlertSerde;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.detector.topology.Topics;
import io.curriculum.tools.history.BadLine;
import io.curriculum.tools.history.CohortRow;
import io.curriculum.tools.history.EventTimeSort;
import io.curriculum.tools.history.HistoryReader;
import io.curriculum.tools.history.HistoryRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Replays a history file through the detector's topology, in event time, on a cluster: the backfill path.
 *
 * <p>A replay is isolated from a live detector on the same cluster: it has its own application id
 * ({@code replayId}) and its own topics ({@code <replayId>.curriculum_logs.logs}, {@code <replayId>.alerts.*},
 * {@code <replayId>.dead-letter}). It creates them, starts the topology, produces the cohorts and waits until the
 * cohort table holds them all (so every access is enriched the same way, run after run), then produces the rows
 * in event-time order (it sorts the file first, in bounded memory, unless told the file is sorted) with their event
 * times as record timestamps, then a record that marks the end of the input, keyed by IP into one partition (the input is then
 * already partitioned by IP, so the by-IP repartition is skipped, and one task sees every row in that order:
 * results are exact and the same on every run). It waits until the topology has consumed everything, reads the
 * alerts and dead letters back and summarises.
 *
 * <p>A replay told to {@link #resume} (its rows going straight to Kafka) continues where an earlier run of the same
 * replay id stopped ({@link ResumePoint}): it reads how many cohorts and rows are on its topics already, checks that the
 * last row there is the same row of this history in the same place, and produces only the rest (and the end-of-input
 * record, unless it is there). The topology resumes from its committed offsets (exactly_once_v2), so the alerts equal an
 * uninterrupted run's. At the end it checks that the logs topic holds each row once. Without it, a replay under an id
 * whose topics hold rows already appends its rows to them.
 */
public final class Replay implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** A replay fails when its detector makes no progress at all for this long. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How often a replay commits, unless its configuration says otherwise. */
    public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final DetectorConfig config;
    private final Properties clientProperties;
    private final String replayId;
    private final AtomicLong newestProduced = new AtomicLong(Long.MIN_VALUE);
    private DetectorRuntime runtime;
    private boolean assumeSorted;
    private boolean resume;
    private Path rejectsOut;
    private Path sortDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private Duration sortTime;

    /**
     * The replay's detector gets a static group membership ({@link StaticMembership}) kept in {@code stateDir}, so that a
     * run that resumes after a {@code kill -9} takes the killed member's place at once instead of waiting out its session.
     *
     * @param base             the detector configuration to replay with (thresholds, zone, Kafka settings);
     *                         its topics and application id are replaced by the replay's own
     * @param clientProperties what the replay's own clients need to reach the cluster: bootstrap.servers and any
     *                         security settings
     * @param replayId         application id and topic prefix of this replay
     * @param stateDir         Kafka Streams state directory of this replay
     */
    public Replay(final DetectorConfig base, final Properties clientProperties, final String replayId, final Path stateDir) {
        this.replayId = replayId;
        this.clientProperties = clientProperties;
        this.config = StaticMembership.forStateDirectory(withReplayCommitInterval(base.withTopics(topicsOf(replayId), true)
                .withStreamsOverrides(Map.of(
                        StreamsConfig.APPLICATION_ID_CONFIG, replayId,
                        StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString()))));
    }

    /**
     * {@code config} committing every {@link #COMMIT_INTERVAL} unless it sets {@code commit.interval.ms} itself. Each
     * exactly-once commit writes the state changed since the last one and ends a transaction; a replay has no reader
     * waiting on its latency, so it commits ten times less often than the live detector (100 ms), which measured
     * 1.9 times the throughput on a 1M-row history.
     */
    public static DetectorConfig withReplayCommitInterval(final DetectorConfig config) {
        if (config.streamsProperties().containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
            return config;
        }
        return config.withStreamsOverrides(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL.toMillis()));
    }

    /** The replay's own topics, all prefixed with its id. */
    public static TopicNames topicsOf(final String replayId) {
        return new TopicNames(replayId + ".curriculum_logs.logs", replayId + ".curriculum_logs.cohorts",
                replayId + ".alerts.suspicious-ip", replayId + ".alerts.lesson-band", replayId + ".alerts.inactive-student", replayId + ".dead-letter",
                replayId + "-cohort-table", replayId + ".detector.rules", replayId + "-rules-in-force", replayId + ".alerts.simulated");
    }

    public DetectorConfig config() {
        return config;
    }

    /** Replays the rows in file order instead of sorting them by event time first (for a file known to be sorted). */
    public Replay assumeSorted(final boolean sorted) {
        this.assumeSorted = sorted;
        return this;
    }

    /**
     * Continues an earlier run of the same replay id on the same topics where it stopped, instead of appending the rows
     * again: the replay's topics then hold this history and nothing else.
     */
    public Replay resume(final boolean resumes) {
        this.resume = resumes;
        return this;
    }

    /** Where the history's sorted chunks are written while it is sorted (default: the system temporary directory). */
    public Replay sortDirectory(final Path directory) {
        this.sortDirectory = directory;
        return this;
    }

    /** Writes every line that was not processed to {@code file} ({@link RejectsFile}); null for none. */
    public Replay rejectsOut(final Path file) {
        this.rejectsOut = file;
        return this;
    }

    /**
     * Runs the replay to its end, producing the rows straight to Kafka (after what an earlier run produced, when told to
     * {@link #resume}). The detector stays up afterwards, idle, until {@link #close()}.
     *
     * @param history   the history file (export format or CSV, gzip or not)
     * @param cohorts   the cohorts table to enrich with
     * @param speed     0 for as fast as possible, else a factor of real time (3600: an hour of history a second)
     * @param alertsOut where to write every alert as JSON Lines, or null
     */
    public ReplaySummary run(final Path history, final List<CohortRow> cohorts, final double speed, final Path alertsOut,
                             final ProgressListener listener) throws InterruptedException {
        return run(history, cohorts, speed, alertsOut, listener, new KafkaRowSink(clientProperties, config.topics()), resume);
    }

    /**
     * Runs the replay to its end with the rows going their own way to the replay's topics (e.g. INSERTed into a database
     * that Debezium captures into them); closes {@code sink} before it returns.
     */
    public ReplaySummary run(final Path history, final List<CohortRow> cohorts, final double speed, final Path alertsOut,
                             final ProgressListener listener, final RowSink sink) throws InterruptedException {
        return run(history, cohorts, speed, alertsOut, listener, sink, false);
    }

    private ReplaySummary run(final Path history, final List<CohortRow> cohorts, final double speed, final Path alertsOut,
                              final ProgressListener listener, final RowSink sink, final boolean resumes) throws InterruptedException {
        final long total = HistoryReader.countRowLines(history);
        final TopicNames topics = config.topics();
        if (!assumeSorted) {
            listener.phase("sorting the rows by event time while the detector starts (--assume-sorted skips this)");
        }
        final SortAhead sortAhead = assumeSorted ? null : SortAhead.start(history, config.campusZone(), sortDirectory);
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "replay-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (Admin admin = Admin.create(clientProperties)) {
            listener.phase("creating the replay's topics (" + replayId + ".*)");
            TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
            final ResumePoint resume = resumes ? ResumePoint.read(clientProperties, topics) : ResumePoint.NONE;
            if (resume.any()) {
                listener.phase(resume.inputEnded()
                        ? String.format(Locale.ROOT, "resuming replay %s: all %,d rows already produced; the detector finishes them", replayId,
                                resume.rowsProduced())
                        : String.format(Locale.ROOT, "resuming replay %s: %,d of %,d rows already produced", replayId, resume.rowsProduced(), total));
            }
            listener.phase("starting the detector");
            runtime = DetectorRuntime.start(config);
            listener.started(runtime);
            try (sink) {
                final AlertCollector collector = new AlertCollector(clientProperties, Topics.of(topics),
                        alert -> listener.alert(alert.topic(), alert.value()));
                final Thread collecting = new Thread(collector, "replay-alerts");
                collecting.setDaemon(true);
                collecting.start();
                try {
                    return replay(admin, sink, collector, history, sortAhead, cohorts, speed, alertsOut, listener, total, ticker, resume, resumes);
                } finally {
                    stop(collector, collecting);
                }
            }
        } finally {
            ticker.shutdownNow();
            if (sortAhead != null) {
                sortAhead.close();
            }
        }
    }

    /** The replay proper, once its detector and its alert collector have started. */
    private ReplaySummary replay(final Admin admin, final RowSink sink, final AlertCollector collector,
                                 final Path history, final SortAhead sortAhead, final List<CohortRow> cohorts, final double speed, final Path alertsOut,
                                 final ProgressListener listener, final long total, final ScheduledExecutorService ticker,
                                 final ResumePoint resume, final boolean checkLogs)
            throws InterruptedException {
        final TopicNames topics = config.topics();
        runtime.awaitRunning(START_TIMEOUT);

        if (resume.cohortsProduced() > cohorts.size()) {
            throw new ReplayRefusedException("the replay's topic " + topics.cohorts() + " holds " + resume.cohortsProduced()
                    + " cohorts, more than the " + cohorts.size() + " of this cohorts table: replay under another --replay-id");
        }
        listener.phase("loading " + cohorts.size() + " cohorts");
        loadCohorts(sink, runtime, cohorts.subList((int) resume.cohortsProduced(), cohorts.size()), cohorts);

        listener.phase("replaying " + history + sink.description());
        final AtomicLong produced = new AtomicLong(resume.rowsProduced());
        final AtomicLong processed = new AtomicLong();
        final AtomicLong badLines = new AtomicLong();
        final TopicPartition logs = new TopicPartition(topics.logs(), 0);
        ticker.scheduleAtFixedRate(() -> {
            try {
                processed.set(Math.min(produced.get(), committed(admin).getOrDefault(logs, 0L)));
            } catch (final RuntimeException e) {
                // the next tick tries again
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt(); // the ticker is being stopped
                return;
            }
            listener.progress(produced.get(), processed.get(), rowsExpected(total, badLines.get()), collector.alertCount());
        }, 500, 500, TimeUnit.MILLISECONDS);

        final long started = System.nanoTime();
        final Map<String, Long> badLinesByReason = new TreeMap<>();
        final long[] lines;
        final long rejectsWritten;
        try (RejectsFile rejects = rejectsOut == null ? null : new RejectsFile(rejectsOut)) {
            lines = produce(sink, history, sortAhead, speed, produced, resume, line -> {
                badLines.incrementAndGet();
                synchronized (badLinesByReason) {
                    badLinesByReason.merge(line.code(), 1L, Long::sum);
                }
                if (rejects != null) {
                    rejects.badLine(line);
                }
                listener.badLine(line);
            }, listener);
            awaitCaughtUp(admin, runtime, collector, topics);
            if (checkLogs) {
                requireEachRowOnce(admin, produced.get());
            }
            if (rejects != null) {
                rejects.deadLetters(history, collector.deadLetterRecords());
            }
            rejectsWritten = rejects == null ? 0 : rejects.written();
        }
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        ticker.shutdownNow();
        // the end-of-input record is consumed too: it is not a row
        processed.set(Math.min(produced.get(), committed(admin).getOrDefault(logs, 0L)));
        listener.progress(produced.get(), processed.get(), rowsExpected(total, badLines.get()), collector.alertCount());

        final List<AlertCollector.Alert> alerts = collector.alerts();
        final long written = alertsOut == null ? 0 : writeAlerts(alerts, alertsOut);
        return new ReplaySummary(replayId, history, lines[0], lines[1], badLines.get(), badLinesByReason, produced.get(), processed.get(),
                collector.deadLetters(), (long) runtime.detectorMetric("duplicates-absorbed-total"),
                (long) runtime.detectorMetric("rows-held-for-clock-skew-total"),
                alertsByKind(alerts), topIps(alerts), sortTime, elapsed,
                (produced.get() - resume.rowsProduced()) / Math.max(elapsed.toNanos() / 1e9, 1e-3), alertsOut, written, rejectsOut,
                rejectsWritten, resume.rowsProduced());
    }

    /**
     * The rows a replay will produce: the file's row lines less the bad lines found so far; at the end, the rows
     * produced. -1 (unknown) when the lines could not be counted.
     */
    static long rowsExpected(final long rowLines, final long badLines) {
        return rowLines < 0 ? -1 : rowLines - badLines;
    }

    /** Stops the collector's thread (which closes its consumer) and waits a little for it; an interrupt does not cut that short. */
    private static void stop(final AlertCollector collector, final Thread collecting) {
        collector.close();
        final boolean interrupted = Thread.interrupted();
        try {
            collecting.join(10_000);
        } catch (final InterruptedException e) {
            // the thread is a daemon: it stops on its own
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The newest event time produced so far: what a replay's event-time lag is measured against. */
    public long newestProducedEventTime() {
        return newestProduced.get();
    }

    /** Stops the replay's detector; until then it stays up (and serves its metrics, where the caller started them). */
    @Override
    public void close() {
        if (runtime != null) {
            runtime.closeGracefully();
        }
    }

    /** Sends {@code toSend} (the cohorts not on the topic yet) and waits until the detector's cohort table holds all of {@code cohorts}. */
    private void loadCohorts(final RowSink sink, final DetectorRuntime runtime, final List<CohortRow> toSend, final List<CohortRow> cohorts)
            throws InterruptedException {
        if (!toSend.isEmpty()) {
            sink.sendCohorts(toSend);
        }
        final long distinct = cohorts.stream().mapToInt(CohortRow::id).distinct().count();
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (runtime.cohortsKnown() < distinct) {
            failIfStopped(runtime);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cohort table holds " + Math.max(0, runtime.cohortsKnown()) + " of " + distinct
                        + " cohorts after " + START_TIMEOUT + "; see the dead-letter topic " + config.topics().deadLetter());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Sends every row of the file in event-time order (sorted first, {@link EventTimeSort}, unless {@link #assumeSorted}),
     * paced by {@code speed}, then the end-of-input record; returns the lines read (rows, bad lines, blank lines and a
     * header) and, of them, the blank lines and the header. The rows an earlier run produced ({@code resume}) are read
     * and passed over, not sent; the last of them must be the record on the topic.
     */
    private long[] produce(final RowSink sink, final Path history, final SortAhead sortAhead, final double speed, final AtomicLong produced,
                           final ResumePoint resume, final Consumer<BadLine> badLines, final ProgressListener listener) throws InterruptedException {
        final ZoneId zone = config.campusZone();
        long firstEvent = Long.MIN_VALUE;
        final SortAhead.Sorted sorted = sortAhead == null ? null : sorted(sortAhead, badLines, listener);
        try (HistoryReader reader = sorted != null ? null : HistoryReader.open(history, badLines)) {
            final HistoryReader lines = sorted != null ? sorted.reader() : reader;
            final Iterator<EventTimeSort.Timed> rows = sorted != null ? sorted.rows() : new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return reader.hasNext();
                }

                @Override
                public EventTimeSort.Timed next() {
                    final HistoryRow row = reader.next();
                    return new EventTimeSort.Timed(row.localTime().atZone(zone).toInstant().toEpochMilli(), row);
                }
            };
            passOver(rows, resume, history);
            final long wallStart = System.nanoTime();
            while (rows.hasNext()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while replaying " + history);
                }
                final EventTimeSort.Timed timed = rows.next();
                final long eventTime = timed.time();
                newestProduced.accumulateAndGet(eventTime, Math::max);
                if (speed > 0) {
                    if (firstEvent == Long.MIN_VALUE) {
                        firstEvent = eventTime;
                    }
                    final long dueNanos = wallStart + (long) ((eventTime - firstEvent) * 1_000_000L / speed);
                    final long wait = dueNanos - System.nanoTime();
                    if (wait > 1_000_000L) {
                        sink.flush();
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                sink.send(timed.row(), eventTime);
                produced.incrementAndGet();
            }
            sink.flush();
            if (!resume.inputEnded()) {
                markEndOfInput();
            }
            return new long[] {lines.linesRead(), lines.linesSkipped()};
        }
    }

    /**
     * Reads the rows an earlier run produced, in the same order, without sending them (their event times still count
     * for the end-of-input record), and checks that the last of them is the last row on the logs topic.
     */
    private void passOver(final Iterator<EventTimeSort.Timed> rows, final ResumePoint resume, final Path history) throws InterruptedException {
        for (long passed = 0; passed < resume.rowsProduced(); passed++) {
            if (!rows.hasNext()) {
                throw new ReplayRefusedException("the replay's topic " + config.topics().logs() + " holds " + resume.rowsProduced()
                        + " rows, more than the " + passed + " of " + history + ": replay it under another --replay-id");
            }
            if ((passed & 0xFFFF) == 0 && Thread.interrupted()) {
                throw new InterruptedException("interrupted while resuming the replay of " + history);
            }
            final EventTimeSort.Timed timed = rows.next();
            newestProduced.accumulateAndGet(timed.time(), Math::max);
            if (passed == resume.rowsProduced() - 1 && resume.lastRow() != null
                    && !KafkaRowSink.isRecordOf(resume.lastRow(), timed.row(), timed.time())) {
                throw new ReplayRefusedException("replay " + replayId + " cannot be resumed with " + history + ": row " + resume.rowsProduced()
                        + " on its topic " + config.topics().logs() + " is not row " + resume.rowsProduced() + " of this file in replay order "
                        + "(line " + timed.row().line() + "); give another --replay-id, or delete the replay's work directory to start it over");
            }
        }
    }

    /** Checks that the logs topic holds every row produced once, and the end-of-input record after them. */
    private void requireEachRowOnce(final Admin admin, final long produced) throws InterruptedException {
        final TopicPartition logs = new TopicPartition(config.topics().logs(), 0);
        final long records = endOffsets(admin, List.of(logs), IsolationLevel.READ_UNCOMMITTED).getOrDefault(logs, 0L);
        if (records != produced + 1) {
            throw new IllegalStateException("the replay's topic " + logs.topic() + " holds " + records + " records, not the " + produced
                    + " rows produced and the end of the input: some rows were produced twice or are missing");
        }
    }

    /** The rows of the sort started with the replay, once it has ended, saying so on the progress listener (stderr). */
    private SortAhead.Sorted sorted(final SortAhead sortAhead, final Consumer<BadLine> badLines, final ProgressListener listener)
            throws InterruptedException {
        final long waited = System.nanoTime();
        final SortAhead.Sorted sorted = sortAhead.rows(badLines);
        sortTime = sorted.took();
        listener.phase(String.format(Locale.ROOT, "sorted %,d lines in %.1f s (%s; the replay waited %.1f s for it)", sorted.reader().linesRead(),
                sortTime.toMillis() / 1000.0, sorted.rows().chunksOnDisk() == 0 ? "in memory" : sorted.rows().chunksOnDisk() + " chunks merged from disk",
                (System.nanoTime() - waited) / 1e9));
        return sorted;
    }

    /**
     * Writes the end-of-input record ({@link DetectorTopology#END_OF_INPUT}) after the last row, straight to the logs topic
     * whichever way the rows went (the sink has flushed: every row is on the topic): the intake releases what it holds.
     */
    private void markEndOfInput() {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.topics().logs(), 0,
                    Math.max(0L, newestProduced.get()), (byte[]) null, (byte[]) null);
            record.headers().add(DetectorTopology.END_OF_INPUT, new byte[0]);
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot mark the end of the input on " + config.topics().logs() + ": " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while marking the end of the input", e);
        }
    }

    /**
     * Waits until the topology has consumed every record of its source topics (committed offsets at the end
     * offsets), and the collector has read every output record written by then.
     */
    private void awaitCaughtUp(final Admin admin, final DetectorRuntime runtime, final AlertCollector collector, final TopicNames topics)
            throws InterruptedException {
        final List<TopicPartition> sources = new ArrayList<>(List.of(new TopicPartition(topics.logs(), 0), new TopicPartition(topics.cohorts(), 0)));
        DetectorTopology.repartitionTopics(runtime.config()).forEach(topic -> sources.add(new TopicPartition(topic, 0)));
        long lastProgress = System.nanoTime();
        long lastSum = -1;
        while (true) {
            failIfStopped(runtime);
            final Map<TopicPartition, Long> ends = endOffsets(admin, sources, IsolationLevel.READ_UNCOMMITTED);
            final Map<TopicPartition, Long> committed = committed(admin);
            final boolean caughtUp = sources.stream().allMatch(tp -> committed.getOrDefault(tp, 0L) >= ends.getOrDefault(tp, 0L));
            if (caughtUp) {
                break;
            }
            final long sum = committed.values().stream().mapToLong(Long::longValue).sum();
            if (sum != lastSum) {
                lastSum = sum;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException("the detector made no progress for " + STALL_TIMEOUT + " (committed " + committed
                        + ", end offsets " + ends + ")");
            }
            Thread.sleep(POLL.toMillis());
        }
        // The consumed offsets become visible when the last transaction commits, but the commit markers of the output
        // partitions are written by the transaction coordinator in no set order: wait until no output partition has a
        // transaction open (its last stable offset is its end), so its records are readable, then until they are read.
        final long deadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
        Map<TopicPartition, Long> outputs = endOffsets(admin, collector.partitions(), IsolationLevel.READ_COMMITTED);
        while (!outputs.equals(endOffsets(admin, collector.partitions(), IsolationLevel.READ_UNCOMMITTED))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replay's output topics still have a transaction open after " + STALL_TIMEOUT);
            }
            Thread.sleep(POLL.toMillis() / 2);
            outputs = endOffsets(admin, collector.partitions(), IsolationLevel.READ_COMMITTED);
        }
        while (!collector.hasReached(outputs)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the replay's alerts back within " + STALL_TIMEOUT);
            }
            Thread.sleep(POLL.toMillis() / 2);
        }
    }

    private static void failIfStopped(final DetectorRuntime runtime) {
        if (runtime.isTerminated()) {
            throw new IllegalStateException("the detector stopped during the replay (state " + runtime.state() + ")", runtime.failure());
        }
    }

    private Map<TopicPartition, Long> committed(final Admin admin) throws InterruptedException {
        try {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(replayId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            final Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, offset) -> {
                if (offset != null) {
                    result.put(tp, offset.offset());
                }
            });
            return result;
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the replay's committed offsets: " + e, e);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(final Admin admin, final List<TopicPartition> partitions, final IsolationLevel isolation)
            throws InterruptedException {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        try {
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read end offsets of " + partitions + ": " + e, e);
        }
    }

    /** Every alert once, as its latest record, ordered by detection time then id: the same file for the same input. */
    private static long writeAlerts(final List<AlertCollector.Alert> alerts, final Path file) {
        final List<AlertCollector.Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparing((AlertCollector.Alert a) -> a.value().detectedAt())
                .thenComparing(AlertCollector.Alert::alertId));
        try {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (final AlertCollector.Alert alert : sorted) {
                    out.write(AlertSerde.text(alert.value()));
                    out.write('\n');
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the alerts to " + file + ": " + e.getMessage(), e);
        }
        return sorted.size();
    }

    private static Map<String, Long> alertsByKind(final List<AlertCollector.Alert> alerts) {
        final Map<String, Long> kinds = new TreeMap<>();
        for (final AlertCollector.Alert alert : alerts) {
            final String kind = alert.value() instanceof MachineSpeedAlert machine ? alert.rule() + " (" + machine.scope() + ")" : alert.rule();
            kinds.merge(kind, 1L, Long::sum);
        }
        return kinds;
    }

    private static List<ReplaySummary.SuspiciousIp> topIps(final List<AlertCollector.Alert> alerts) {
        final Map<String, List<MachineSpeedAlert>> byIp = new TreeMap<>();
        for (final AlertCollector.Alert alert : alerts) {
            if (alert.value() instanceof MachineSpeedAlert machine) {
                byIp.computeIfAbsent(machine.ip(), ip -> new ArrayList<>()).add(machine);
            }
        }
        final List<ReplaySummary.SuspiciousIp> ips = new ArrayList<>();
        byIp.forEach((ip, values) -> {
            final TreeSet<String> rules = new TreeSet<>();
            final LinkedHashSet<Long> users = new LinkedHashSet<>();
            int maxPages = 0;
            for (final MachineSpeedAlert value : values) {
                rules.add(value.rule());
                if (value.userIds() != null) {
                    users.addAll(value.userIds());
                }
                maxPages = Math.max(maxPages, value.distinctPages());
            }
            ips.add(new ReplaySummary.SuspiciousIp(ip, values.size(), maxPages, List.copyOf(rules), List.copyOf(new TreeSet<>(users))));
        });
        ips.sort(Comparator.comparingInt(ReplaySummary.SuspiciousIp::maxDistinctPages).reversed()
                .thenComparing(ReplaySummary.SuspiciousIp::ip));
        return ips.subList(0, Math.min(10, ips.size()));
    }
}
