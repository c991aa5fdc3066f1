package io.oxbow.stream;

import static io.oxbow.stream.TopologyFixture.combined;
import static io.oxbow.stream.TopologyFixture.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.views.Source;
import io.oxbow.views.ViewCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Source} feeds the speed views of that source, and only those: a view counts the
 * records of its own source's stream.
 */
class SpeedViewSourceTest {
  private static final String FIREFOX =
      "Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0";

  /**
   * What each source's view counts after three log lines and one order: the third line, 40 minutes
   * on, closes the first line's visit (timeout 30 min plus grace 5 min).
   */
  private static final Map<Source, Long> EXPECTED =
      Map.of(Source.ACCESS_LOGS, 3L, Source.ORDERS, 1L, Source.VISITS, 1L);

  private static String viewOf(Source source) {
    return "from_" + source.name().toLowerCase(Locale.ROOT);
  }

  @Test
  void shouldFeedEachViewFromTheStreamOfItsSource() throws Exception {
    StringBuilder yaml = new StringBuilder("replace_defaults: true\nviews:\n");
    for (Source source : Source.values()) {
      yaml.append("  - name: ")
          .append(viewOf(source))
          .append("\n    source: ")
          .append(source.id())
          .append("\n    window: 1h\n    metrics:\n      - {name: records, type: count}\n");
    }
    ViewCatalog views = ViewCatalog.parse(yaml.toString(), "test");

    try (TopologyFixture fx = new TopologyFixture(Duration.ofMinutes(5), "", views)) {
      fx.pipe(combined("83.149.9.216", "17/May/2015:10:00:00", "/a", 200, FIREFOX));
      fx.pipe(combined("83.149.9.217", "17/May/2015:10:01:00", "/b", 404, FIREFOX));
      fx.orders.pipeInput("83.149.9.216", order("o-1", "83.149.9.216", "2015-05-17T10:02:00Z"));
      fx.pipe(combined("83.149.9.218", "17/May/2015:10:40:00", "/c", 200, FIREFOX));

      for (Source source : Source.values()) {
        assertThat(EXPECTED).as("an expectation for source " + source).containsKey(source);
        List<ViewAggregate> changes = fx.speedView(viewOf(source)).readValuesToList();
        assertThat(changes).as(viewOf(source)).isNotEmpty();
        assertThat(changes.get(changes.size() - 1).getRecords())
            .as("records in " + viewOf(source))
            .isEqualTo(EXPECTED.get(source));
      }
    }
  }
}
