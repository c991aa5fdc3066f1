package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.stream.StreamApp;
import io.oxbow.stream.StreamConfig;
import io.oxbow.views.ViewCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A run of the stream processor that is never killed (in the test JVM), over copies of another
 * run's raw lines and then, once it consumed every page view, of its orders: what that run must
 * hold after catch-up. It shares the other run's geo-IP topic.
 *
 * @param enriched the enriched events, as text, with their counts
 * @param attributed the attributed orders, as text, with their counts
 * @param speedViews per view: window and dimensions to records folded
 */
record ReferenceRun(
    Map<String, Long> enriched,
    Map<String, Long> attributed,
    Map<String, Map<String, Long>> speedViews) {

  /**
   * Runs the reference over the input of the run with topic prefix {@code live}, on topics with
   * prefix {@code ref}, with state in {@code stateDir}.
   */
  static ReferenceRun of(
      TopicTool kafka,
      String bootstrap,
      String registryUrl,
      String live,
      String ref,
      Duration grace,
      Path stateDir) {
    StreamConfig.Topics from = StreamConfig.Topics.DEFAULT.prefixed(live);
    StreamConfig.Topics prefixed = StreamConfig.Topics.DEFAULT.prefixed(ref);
    StreamConfig.Topics t =
        new StreamConfig.Topics(
            prefixed.raw(),
            prefixed.enriched(),
            prefixed.dlq(),
            prefixed.orders(),
            prefixed.attributed(),
            from.geoip(),
            prefixed.speedViewPrefix(),
            prefixed.visits());
    String group = ref + "stream";
    StreamConfig config =
        StreamConfig.defaults(bootstrap, registryUrl, group)
            .withTopics(t)
            .withGrace(grace)
            .withStateDir(stateDir);
    try (StreamApp app = StreamApp.start(config, ViewCatalog.defaults(), 3)) {
      assertThat(app.awaitRunning(Duration.ofMinutes(3))).isTrue();
      kafka.copy(from.raw(), t.raw());
      await("the reference to consume every page view")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  !kafka.values(t.raw(), RawLogLine.class).isEmpty()
                      && kafka.consumed(group, List.of(t.raw(), t.enriched())));
      kafka.copy(from.orders(), t.orders());
      int orders = kafka.values(t.orders(), Order.class).size();
      await("the reference to finish")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  kafka.values(t.attributed(), AttributedOrder.class).size() >= orders
                      && kafka.consumed(group, List.of(t.raw(), t.enriched(), t.orders())));
      return new ReferenceRun(
          countBy(kafka.values(t.enriched(), AccessLogEvent.class), Object::toString),
          countBy(kafka.values(t.attributed(), AttributedOrder.class), Object::toString),
          speedViews(kafka, t));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Each speed view as window and dimensions (the key without the view) to records folded. The
   * sketch metrics (distinct counts, quantiles) may be laid out differently by another fold order,
   * so the exact record counts stand for the aggregates.
   */
  static Map<String, Map<String, Long>> speedViews(TopicTool kafka, StreamConfig.Topics topics) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (String view : ViewCatalog.defaults().names()) {
      Map<String, Long> windows = new TreeMap<>();
      kafka
          .latestByKey(topics.speedView(view))
          .forEach(
              (key, value) -> {
                ViewAggregate a = (ViewAggregate) value;
                windows.put(a.getWindowStart() + " " + a.getDims().toString(), a.getRecords());
              });
      out.put(view, windows);
    }
    return out;
  }

  /** {@code items} counted by {@code key}. */
  static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
    Map<String, Long> out = new TreeMap<>();
    items.forEach(i -> out.merge(key.apply(i), 1L, Long::sum));
    return out;
  }
}
