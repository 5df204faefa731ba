package io.curriculum.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's fast peer must do real work: it alerts once on a scraper's burst and never on a slower reader. */
class FastPeerTest {

    private static final Instant START = Instant.parse("2019-03-04T15:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, String> output;

    @BeforeEach
    void start() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fast-peer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(FastPeer.topology("in", "out").build(), props);
        input = driver.createInputTopic("in", new StringSerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void request(final String ip, final String path, final Instant at) {
        final String json = "{\"before\":null,\"after\":{\"id\":1,\"date\":17959,\"time\":0,\"path\":\"" + path
                + "\",\"user_id\":7,\"cohort_id\":null,\"ip\":\"" + ip + "\"},\"source\":{\"connector\":\"replay\"},\"op\":\"r\"}";
        input.pipeInput(ip, json.getBytes(StandardCharsets.UTF_8), at);
    }

    @Test
    void shouldAlertOnceWhenOneIpFetchesThirtyDistinctPagesWithinTwentySeconds() {
        // given / when: 45 distinct pages, two a second
        for (int i = 0; i < 45; i++) {
            request("1.2.3.4", "java-ii/lesson-" + i, START.plusMillis(500L * i));
        }

        // then
        assertThat(output.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("1.2.3.4");
    }

    @Test
    void shouldStaySilentWhenPagesRepeatOrComeSlowerThanTheWindow() {
        // given / when: one page a second, but only 10 distinct ones; and 40 distinct pages one per minute
        for (int i = 0; i < 60; i++) {
            request("5.6.7.8", "java-ii/lesson-" + (i % 10), START.plusSeconds(i));
            request("9.9.9.9", "java-ii/lesson-" + i, START.plusSeconds(60L * i));
        }

        // then
        assertThat(output.readKeyValuesToList()).isEmpty();
    }
}
