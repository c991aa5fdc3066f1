package io.oxbow.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The ingest app's meters, served on {@code /metrics} (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code ingest.records.accepted{endpoint}} [{@code ingest_records_accepted_total}]: records
 *       Kafka acknowledged;
 *   <li>{@code ingest.bytes.accepted{endpoint}}: request body bytes (decompressed) accepted;
 *   <li>{@code ingest.requests.rejected{endpoint,reason}}: requests answered with an error, reason
 *       one of unauthorized, forbidden, unsupported_media_type, too_large, invalid, conflict,
 *       overloaded, kafka_unavailable, internal;
 *   <li>{@code ingest.requests.replayed{endpoint}}: retries answered from the idempotency store;
 *   <li>{@code ingest.request.latency{endpoint,outcome}}: time from request to answer (p50, p99);
 *   <li>{@code ingest.inflight.bytes}: bytes reserved by requests now; {@code
 *       ingest.idempotency.keys}: keys remembered.
 * </ul>
 */
final class IngestMetrics {
  private final MeterRegistry registry;

  IngestMetrics(MeterRegistry registry, InflightBudget budget, IdempotencyStore store) {
    this.registry = registry;
    Gauge.builder("ingest.inflight.bytes", budget, InflightBudget::used)
        .description("Request bytes held in memory now")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("ingest.idempotency.keys", store, IdempotencyStore::size)
        .description("Idempotency-Keys remembered")
        .register(registry);
  }

  void accepted(String endpoint, int records, long bytes, long startNanos) {
    Counter.builder("ingest.records.accepted")
        .description("Records acknowledged by Kafka")
        .tag("endpoint", endpoint)
        .register(registry)
        .increment(records);
    Counter.builder("ingest.bytes.accepted")
        .description("Request bytes accepted (after decompression)")
        .baseUnit("bytes")
        .tag("endpoint", endpoint)
        .register(registry)
        .increment(bytes);
    latency(endpoint, "accepted", startNanos);
  }

  void replayed(String endpoint, long startNanos) {
    Counter.builder("ingest.requests.replayed")
        .description("Retried requests answered from the idempotency store")
        .tag("endpoint", endpoint)
        .register(registry)
        .increment();
    latency(endpoint, "replayed", startNanos);
  }

  void rejected(String endpoint, String reason, long startNanos) {
    Counter.builder("ingest.requests.rejected")
        .description("Requests answered with an error, by reason")
        .tag("endpoint", endpoint)
        .tag("reason", reason)
        .register(registry)
        .increment();
    latency(endpoint, "rejected", startNanos);
  }

  private void latency(String endpoint, String outcome, long startNanos) {
    Timer.builder("ingest.request.latency")
        .description("Time from request to answer")
        .tag("endpoint", endpoint)
        .tag("outcome", outcome)
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  static String reason(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 415 -> "unsupported_media_type";
      case 413 -> "too_large";
      case 400, 422 -> "invalid";
      case 409 -> "conflict";
      case 429 -> "rate_limited";
      case 503 -> "kafka_unavailable";
      case 504 -> "outcome_unknown";
      default -> "internal";
    };
  }
}
