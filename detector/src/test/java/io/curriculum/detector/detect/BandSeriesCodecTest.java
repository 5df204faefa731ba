package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The band series' binary form: the current version round-trips with its drop episode; the first version is still read. */
class BandSeriesCodecTest {

    private static final BandRule RULE = new BandRule(new BandSettings(Duration.ofDays(1), 4.0, 8, 4, 10, true,
            BandSettings.Model.SQRT, 10, CampusCalendar.none()), ZoneId.of("America/Chicago"), Duration.ofMinutes(10));

    @Test
    void shouldRoundTripADropEpisodeAndTheProgramsActivity() {
        // given a series in a drop episode
        final BandSeries series = RULE.newSeries();
        for (int i = 0; i < 8; i++) {
            series.push(i % 7, 30 + i, 1000 - i);
        }
        series.dropSince = 17_000;
        series.dropLast = 17_002;
        series.dropWindows = 3;
        series.dropCount = 1;
        series.dropExpected = 88.5;

        // when
        final BandSeries decoded = BandSeries.decode(series.encode());

        // then
        assertThat(decoded.encode()).isEqualTo(series.encode());
        assertThat(decoded.dropSince).isEqualTo(17_000);
        assertThat(decoded.dropLast).isEqualTo(17_002);
        assertThat(decoded.dropWindows).isEqualTo(3);
        assertThat(decoded.dropExpected).isEqualTo(88.5);
        assertThat(decoded.orderedContext(0)).containsExactly(1000, 993);
        assertThat(decoded.isEmpty()).isFalse();
    }

    @Test
    void shouldReadTheFirstVersionWithTheProgramsActivityUnknown() throws Exception {
        // given the bytes of a version-1 series: one phase of two windows, nothing open
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(17_999);
            out.writeInt(0);
            out.writeInt(1);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(0);
            out.writeInt(25);
            out.writeInt(27);
        }

        // when
        final BandSeries series = BandSeries.decode(bytes.toByteArray());

        // then its counts are kept, its activity unknown, no episode
        assertThat(series.lastClosed()).isEqualTo(17_999);
        assertThat(series.orderedHistory(0)).containsExactly(25, 27);
        assertThat(series.orderedContext(0)).containsExactly(BandSeries.UNKNOWN, BandSeries.UNKNOWN);
        assertThat(series.dropSince).isEqualTo(Long.MIN_VALUE);
        assertThat(BandSeries.decode(series.encode()).orderedHistory(0)).containsExactly(25, 27);
    }
}
