package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.views.metric.MetricValue;
import io.oxbow.views.metric.TopKState;
import org.junit.jupiter.api.Test;

/**
 * A frequent-items sketch whose purges removed every item still counts its stream and error:
 * DataSketches would serialize and merge it as empty.
 */
class TopKStateTest {

  @Test
  void shouldKeepStreamLengthAndErrorOfAFullyPurgedSketch() {
    TopKState purged = new TopKState(5, 8);
    // a map of 8 holds 6 items: the 7th distinct value purges all of them (each counted once)
    for (int i = 0; i < 7; i++) {
      purged.add("item-" + i);
    }
    TopKState other = new TopKState(5, 8);
    for (int i = 0; i < 4; i++) {
      other.add("hot");
    }

    TopKState decoded = TopKState.fromBytes(5, 8, purged.toBytes());
    other.merge(decoded);

    MetricValue.TopItems before = (MetricValue.TopItems) purged.readOut();
    assertThat(before.items()).isEmpty();
    assertThat(before.streamLength()).isEqualTo(7);
    assertThat(((MetricValue.TopItems) decoded.readOut()).streamLength()).isEqualTo(7);
    MetricValue.TopItems merged = (MetricValue.TopItems) other.readOut();
    assertThat(merged.streamLength()).isEqualTo(11);
    assertThat(merged.maximumError()).isEqualTo(before.maximumError()).isPositive();
    assertThat(merged.items()).hasSize(1);
    MetricValue.Item hot = merged.items().get(0);
    assertThat(hot.item()).isEqualTo("hot");
    assertThat(4L).isBetween(hot.lowerBound(), hot.upperBound());
    assertThat(hot.upperBound()).isEqualTo(4 + before.maximumError());
  }
}
