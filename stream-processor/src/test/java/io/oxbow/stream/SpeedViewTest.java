package io.oxbow.stream;

import static io.oxbow.stream.TopologyFixture.combined;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpeedViewTest {
  private static final String UA =
      "Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0";

  private TopologyFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TopologyFixture(Duration.ofMinutes(1), "");
    fx.range("83.149.0.0", "83.149.255.255", "RU");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void shouldFoldRequestsPerMinuteAndDimensions() {
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:00:10", "/a", 200, UA));
    fx.pipe(combined("83.149.9.217", "17/May/2015:10:00:50", "/b", 200, UA));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:00:59", "/a", 404, UA));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:01:00", "/a", 200, UA));

    Map<String, Long> traffic = latest(fx.speedView("traffic"));
    assertThat(traffic)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "10:00 [RU, 2xx, false]", 2L,
                "10:00 [RU, 4xx, false]", 1L,
                "10:01 [RU, 2xx, false]", 1L));
    assertThat(latest(fx.speedView("errors"))).containsExactly(Map.entry("10:00 [404, /a]", 1L));
  }

  @Test
  void shouldFoldLateRecordsWithinGraceAndCountThoseBeyond() {
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:00:10", "/a", 200, UA));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:05:00", "/a", 200, UA));
    // window 10:04-10:05 closes at 10:05 + 1 minute grace: still open
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:04:30", "/a", 200, UA));
    // window 10:03-10:04 closed at 10:05
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:03:30", "/a", 200, UA));

    assertThat(latest(fx.speedView("traffic")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "10:00 [RU, 2xx, false]", 1L,
                "10:04 [RU, 2xx, false]", 1L,
                "10:05 [RU, 2xx, false]", 1L));
    assertThat(fx.metrics.count("oxbow.stream.dropped.late", "view", "traffic")).isEqualTo(1);
    assertThat(fx.metrics.count("oxbow.stream.dropped.late", "view", "pages")).isZero();
    assertThat(fx.enriched.readValuesToList())
        .as("the enriched topic keeps late records")
        .hasSize(4);
  }

  /** window start (HH:mm) and dimensions -> records, latest value per key. */
  private static Map<String, Long> latest(
      org.apache.kafka.streams.TestOutputTopic<ViewKey, ViewAggregate> topic) {
    Map<String, Long> out = new TreeMap<>();
    topic
        .readKeyValuesToMap()
        .forEach(
            (k, v) ->
                out.put(
                    Instant.ofEpochMilli(k.getWindowStart().toEpochMilli())
                            .toString()
                            .substring(11, 16)
                        + " "
                        + k.getDims().stream().map(d -> String.valueOf(d.getValue())).toList(),
                    v.getRecords()));
    return out;
  }
}
