package io.oxbow.serving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DroppedCountsTest {
  @Test
  void shouldSumDroppedSamplesByReason() {
    String exposition =
        """
        # HELP oxbow_stream_dropped_internal_total
        # TYPE oxbow_stream_dropped_internal_total counter
        oxbow_stream_dropped_internal_total{reason="private_network",service="stream"} 12.0
        oxbow_stream_dropped_internal_total{reason="health_check",service="stream"} 3.0
        oxbow_stream_dropped_late_total{service="stream"} 2.0
        oxbow_stream_lines_total{service="stream"} 1000.0
        """;

    assertThat(DroppedCounts.parse(exposition))
        .containsOnly(
            java.util.Map.entry("private_network", 12L),
            java.util.Map.entry("health_check", 3L),
            java.util.Map.entry("late", 2L));
  }
}
