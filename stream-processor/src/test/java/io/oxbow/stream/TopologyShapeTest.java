package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.stream.topology.StreamMetrics;
import io.oxbow.stream.topology.StreamSerdes;
import io.oxbow.views.ViewCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * Pins the topology's shape: every processor, store and internal topic name. A change here means
 * state stores or internal topics change name, which loses state on upgrade; update the pinned file
 * deliberately with {@code -Doxbow.topology.update=true}.
 */
class TopologyShapeTest {
  private static final String PINNED = "/io/oxbow/stream/topology.txt";

  @Test
  void shouldMatchThePinnedDescription() throws IOException {
    String description = describe();
    if (Boolean.getBoolean("oxbow.topology.update")) {
      Path file =
          Path.of(System.getProperty("oxbow.root"), "stream-processor/src/test/resources" + PINNED);
      Files.writeString(file, description);
    }
    try (var in = TopologyShapeTest.class.getResourceAsStream(PINNED)) {
      assertThat(in).as("pinned topology " + PINNED).isNotNull();
      assertThat(description).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldNameEveryProcessorStoreAndInternalTopic() {
    String description = describe();
    assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(description)
        .contains("speed-traffic-by-group-repartition")
        .contains("speed-traffic-store")
        .contains("pageviews")
        .contains("geoip-ranges");
  }

  @Test
  void shouldRefuseInternalResourcesWithGeneratedNames() {
    StreamConfig config = StreamConfig.defaults("unused:9092", "mock://shape", "oxbow-stream");
    org.apache.kafka.streams.StreamsBuilder builder =
        new org.apache.kafka.streams.StreamsBuilder(
            new org.apache.kafka.streams.TopologyConfig(
                new org.apache.kafka.streams.StreamsConfig(config.streamsProperties())));
    builder.stream("in").groupBy((k, v) -> v).count();
    assertThatThrownBy(builder::build).hasMessageContaining("has not been named");
  }

  private static String describe() {
    StreamConfig config = StreamConfig.defaults("unused:9092", "mock://shape", "oxbow-stream");
    Topology topology =
        StreamTopology.build(
            config,
            StreamSerdes.registry("mock://shape"),
            ViewCatalog.defaults(),
            TopologyFixture.userAgents(),
            StreamMetrics.inMemory());
    return topology.describe().toString();
  }
}
