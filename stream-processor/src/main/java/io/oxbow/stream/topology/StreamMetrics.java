package io.oxbow.stream.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream processor's own counters, on a Micrometer registry (served on {@code /metrics} by the
 * stream processor's HTTP endpoints). Counted by the topology's stages, the dead-letter handlers
 * and the start-up recovery of the global store. Prometheus names:
 *
 * <ul>
 *   <li>{@code oxbow_stream_lines_total}: raw lines read;
 *   <li>{@code oxbow_stream_enriched_total}: events written to {@code access-logs.enriched};
 *   <li>{@code oxbow_stream_dropped_internal_total{reason}}: internal traffic dropped (loopback,
 *       private, link_local, cgnat, unique_local, unspecified, configured);
 *   <li>{@code oxbow_stream_dlq_total{stage,reason}}: records sent to the dead-letter topic;
 *   <li>{@code oxbow_stream_geoip_lookups_total{result}}: hit, miss, hostname;
 *   <li>{@code oxbow_stream_dropped_late_total{view}}: records later than the grace period, not
 *       folded into the speed view (the batch layer still counts them);
 *   <li>{@code oxbow_stream_orders_total{attributed}}: attributed orders emitted;
 *   <li>{@code oxbow_stream_global_store_rebuilds_total}: starts after an unclean stop that deleted
 *       the global store's state to rebuild it from its topic.
 * </ul>
 */
public final class StreamMetrics {
  /** Key under which the instance travels in the Streams configuration to the handlers. */
  public static final String CONFIG_KEY = "oxbow.stream.metrics";

  private final MeterRegistry registry;
  private final Counter lines;
  private final Counter enriched;
  private final Counter globalStoreRebuilds;
  // tagged counters by tag value: the registry's own lookup builds and sorts the tags every call
  private final Map<String, Counter> droppedInternal = new ConcurrentHashMap<>();
  private final Map<String, Counter> geoLookups = new ConcurrentHashMap<>();
  private final Map<String, Counter> droppedLate = new ConcurrentHashMap<>();

  /** Counters on {@code registry}. */
  public StreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lines = registry.counter("oxbow.stream.lines");
    this.enriched = registry.counter("oxbow.stream.enriched");
    this.globalStoreRebuilds = registry.counter("oxbow.stream.global.store.rebuilds");
  }

  /** Counters on a private in-memory registry (tests, benchmarks). */
  public static StreamMetrics inMemory() {
    return new StreamMetrics(new SimpleMeterRegistry());
  }

  /** The registry. */
  public MeterRegistry registry() {
    return registry;
  }

  public void line() {
    lines.increment();
  }

  /** Counts one event written to the enriched topic. */
  public void enrichedCount() {
    enriched.increment();
  }

  public void droppedInternal(String reason) {
    droppedInternal
        .computeIfAbsent(
            reason, r -> registry.counter("oxbow.stream.dropped.internal", "reason", r))
        .increment();
  }

  public void deadLetter(String stage, String reason) {
    registry.counter("oxbow.stream.dlq", "stage", stage, "reason", reason).increment();
  }

  public void geoLookup(String result) {
    geoLookups
        .computeIfAbsent(result, r -> registry.counter("oxbow.stream.geoip.lookups", "result", r))
        .increment();
  }

  public void droppedLate(String view, long records) {
    droppedLate
        .computeIfAbsent(view, v -> registry.counter("oxbow.stream.dropped.late", "view", v))
        .increment(records);
  }

  /** Counts one start that rebuilds the global store after an unclean stop. */
  public void globalStoreRebuilt() {
    globalStoreRebuilds.increment();
  }

  public void order(boolean attributed) {
    registry.counter("oxbow.stream.orders", "attributed", Boolean.toString(attributed)).increment();
  }

  /**
   * The sum of the counters called {@code name} that have the given tags (key, value, ...); 0 when
   * none was ever incremented. For tests and reports.
   */
  public double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }
}
