package io.oxbow.batch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.upstream.UpstreamLag;
import io.oxbow.batch.view.BatchCompactor;
import io.oxbow.batch.view.BatchViewReader;
import io.oxbow.batch.view.WatermarkDecision;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * The batch loader's {@code GET /status} document and its watermark metrics: per landed topic that
 * feeds views, the watermark decision of the last compaction cycle (its basis and the reason it
 * stands where it does, e.g. {@code held: upstream group oxbow-stream lags 23606 records on
 * access-logs.raw}), and per view its published watermark.
 *
 * <p>Metrics, per dataset (tag {@code dataset}, the landed topic): {@code
 * oxbow.batch.watermark.held} (1 while the upstream's lag keeps an otherwise idle partition from
 * counting as idle, else 0) and {@code oxbow.batch.upstream.lag} (the records it lags then, else
 * 0).
 */
final class WatermarkStatus {
  private final BatchConfig config;
  private final ViewCatalog catalog;
  private final BatchCompactor compactor;
  private final BatchViewReader reader;
  private final BooleanSupplier compacting;

  /**
   * The status of {@code compactor}'s decisions.
   *
   * @param compacting true while this instance runs the compaction cycle
   */
  WatermarkStatus(
      BatchConfig config,
      ViewCatalog catalog,
      BatchCompactor compactor,
      BatchViewReader reader,
      BooleanSupplier compacting) {
    this.config = config;
    this.catalog = catalog;
    this.compactor = compactor;
    this.reader = reader;
    this.compacting = compacting;
  }

  /** Registers the per-dataset gauges. */
  void bind(MeterRegistry meters) {
    for (DatasetSpec dataset : config.datasets()) {
      String topic = dataset.topic();
      Gauge.builder(
              "oxbow.batch.watermark.held",
              () -> decision(topic).map(d -> d.heldByUpstream() ? 1 : 0).orElse(0))
          .description("1 while the upstream stage's lag holds this dataset's watermark back")
          .tag("dataset", topic)
          .register(meters);
      Gauge.builder(
              "oxbow.batch.upstream.lag",
              () ->
                  decision(topic)
                      .flatMap(WatermarkDecision::upstream)
                      .map(UpstreamLag::records)
                      .orElse(0L))
          .description("Records the upstream stage lags while that holds the watermark back")
          .tag("dataset", topic)
          .register(meters);
    }
  }

  private Optional<WatermarkDecision> decision(String topic) {
    return Optional.ofNullable(compactor.decisions().get(topic));
  }

  /** The document (see docs/batch-loader.md). */
  Map<String, Object> document() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("time", Instant.now().toString());
    out.put("compacting", compacting.getAsBoolean());
    out.put("upstream_group", config.upstream().groupId());
    Map<String, WatermarkDecision> decisions = compactor.decisions();
    Map<String, Object> datasets = new LinkedHashMap<>();
    Map<String, Object> views = new LinkedHashMap<>();
    for (DatasetSpec dataset : config.datasets()) {
      List<String> names =
          catalog.folders().stream()
              .filter(v -> v.definition().source().id().equals(dataset.viewSource()))
              .map(ViewFolder::name)
              .toList();
      if (names.isEmpty()) {
        continue;
      }
      WatermarkDecision d = decisions.get(dataset.topic());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("upstream_topics", config.upstream().inputsOf(dataset.topic()));
      entry.put("closed_up_to", d == null ? null : iso(d.closedUpTo()));
      entry.put("basis", d == null ? null : d.basis());
      entry.put("reason", d == null ? "no compaction cycle has run in this instance" : d.reason());
      entry.put("held_by_upstream", d != null && d.heldByUpstream());
      Map<String, Long> lag = new LinkedHashMap<>();
      if (d != null) {
        d.upstream().ifPresent(u -> u.topics().forEach(t -> lag.put(t.topic(), t.records())));
      }
      entry.put("upstream_lag", lag);
      entry.put("views", names);
      datasets.put(dataset.topic(), entry);
      for (String view : names) {
        Map<String, Object> v = new LinkedHashMap<>();
        OptionalLong w = reader.watermark(view);
        v.put("watermark", w.isPresent() ? iso(w.getAsLong()) : null);
        v.put("dataset", dataset.topic());
        v.put("reason", entry.get("reason"));
        views.put(view, v);
      }
    }
    out.put("datasets", datasets);
    out.put("views", views);
    return out;
  }

  private static String iso(long millis) {
    return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis).toString();
  }
}
