package io.curriculum.tools.bench;

import io.curriculum.app.runtime.TopicSetup;
import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.topology.DetectorTopology;
import io.curriculum.tools.cli.Launcher;
import io.curriculum.tools.local.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Soak: {@code run} in a JVM of its own on an embedded broker (in this JVM), fed create events at a steady rate for a
 * while; every few seconds it prints the detector's RSS, heap in use, state directory size and consumer lag, which should
 * stay flat. Event time runs ten times faster than the wall clock, so that per-IP and per-user state ages out within the
 * run. Not a test: run through {@code bench/soak.sh}.
 */
public final class SoakBench {

    private static final String LOGS = "curriculum.curriculum_logs.logs";

    private SoakBench() {
    }

    public static void main(final String[] args) throws Exception {
        final int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        final int every = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        final Path dir = Files.createTempDirectory("soak");
        final Path state = dir.resolve("state");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            final DetectorConfig config = DetectorConfig.from(props, Map.of());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicSetup.ensure(admin, DetectorTopology.topicsToCreate(config), 1);
            }
            final int metricsPort = freePort();
            final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            final Process detector = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                    "run", "--bootstrap-servers", kafka.bootstrapServers(), "--state-dir", state.toString(),
                    "--metrics-port", String.valueOf(metricsPort), "--api-port", "0")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("detector.log").toFile()).start();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
                 KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
                awaitReady(dir.resolve("detector.log"), detector);
                System.out.printf("soak: %d rows/s for %d s; detector pid %d, state in %s%n", rate, seconds, detector.pid(), state);
                System.out.println("   t_s      rows   lag  rss_mib  heap_mib  state_mib");
                feed(producer, admin, detector, state, metricsPort, rate, seconds, every);
            } finally {
                detector.destroy();
                detector.waitFor(60, TimeUnit.SECONDS);
                detector.destroyForcibly();
            }
        } finally {
            delete(dir);
        }
    }

    private static void delete(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void feed(final KafkaProducer<byte[], byte[]> producer, final Admin admin, final Process detector, final Path state,
                             final int metricsPort, final int rate, final int seconds, final int every) throws Exception {
        final SplittableRandom random = new SplittableRandom(42);
        final LocalDateTime origin = LocalDateTime.parse("2019-03-04T08:00:00");
        final long begin = System.nanoTime();
        long nextReport = 0;
        final long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            final long elapsedMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - begin);
            final LocalDateTime time = origin.plusNanos(elapsedMicros * 10_000L);
            final boolean scraper = random.nextInt(50) == 0;
            final int user = scraper ? 90_000 + random.nextInt(20) : random.nextInt(5_000);
            final String ip = scraper ? "70.121.95." + (user % 20) : "10." + (user / 250 % 250) + "." + (user % 250) + "." + (1 + random.nextInt(3));
            final String value = "{\"op\":\"c\",\"after\":{\"id\":" + (i + 1) + ",\"date\":" + time.toLocalDate().toEpochDay() + ",\"time\":"
                    + time.toLocalTime().toNanoOfDay() / 1000 + ",\"path\":\"" + (scraper ? "java-ii/lesson-" + random.nextInt(400)
                    : "javascript-i/lesson-" + random.nextInt(60)) + "\",\"user_id\":" + user + ",\"cohort_id\":" + (20 + user % 30)
                    + ",\"ip\":\"" + ip + "\"}}";
            producer.send(new ProducerRecord<>(LOGS, ("{\"id\":" + (i + 1) + "}").getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
                        if (e != null) {
                            System.err.println("send failed: " + e);
                        }
                    });
            final long due = begin + TimeUnit.SECONDS.toNanos(i + 1) / rate;
            final long ahead = due - System.nanoTime();
            if (ahead > 0) {
                TimeUnit.NANOSECONDS.sleep(ahead);
            }
            final long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
            if (elapsed >= nextReport) {
                report(admin, detector, state, metricsPort, elapsed, i + 1);
                nextReport = elapsed + every;
            }
        }
        producer.flush();
        report(admin, detector, state, metricsPort, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin), total);
    }

    private static void report(final Admin admin, final Process detector, final Path state, final int metricsPort, final long seconds,
                               final long rows) {
        System.out.printf("%6d %9d %5d %8.0f %9.0f %10.1f%n", seconds, rows, lag(admin), rssMib(detector.pid()), heapMib(metricsPort),
                sizeMib(state));
    }

    private static long lag(final Admin admin) {
        try {
            final TopicPartition logs = new TopicPartition(LOGS, 0);
            final var committed = admin.listConsumerGroupOffsets("curriculum-detector").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            final long end = admin.listOffsets(Map.of(logs, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS).get(logs).offset();
            return end - (committed.get(logs) == null ? 0 : committed.get(logs).offset());
        } catch (final Exception e) {
            return -1;
        }
    }

    private static double rssMib(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (final IOException e) {
            // gone
        }
        return -1;
    }

    /** jvm_memory_used_bytes{area="heap"} summed over the pools, from the detector's /metrics. */
    private static double heapMib(final int port) {
        try {
            final String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
        } catch (final IOException | RuntimeException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static double sizeMib(final Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum() / (1024.0 * 1024);
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void awaitReady(final Path log, final Process detector) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!detector.isAlive()) {
                throw new IllegalStateException("the detector exited: " + Files.readString(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("Ctrl-C or SIGTERM stops it.")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the detector was not ready within 120 s: " + Files.readString(log));
    }

    private static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
