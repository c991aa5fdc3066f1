package io.oxbow.batch;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.batch.view.PartialWriter;
import io.oxbow.batch.view.PartitionSources;

/**
 * The metrics of compaction over several instances: {@code
 * oxbow_batch_compaction_partitions_total{source="partial"|"folded"}} (partition hours the
 * compacting instance merged from partial aggregates or folded itself) and {@code
 * oxbow_batch_partials_written_total} (partition hours this instance folded into partials).
 */
final class PartialMetrics {
  private static final String MERGED_HELP =
      "Partition hours the compaction merged from partial aggregates (source=partial) or folded"
          + " from landed rows itself (source=folded)";

  private PartialMetrics() {}

  /** Registers the counters, read from {@code sources} and {@code partials}. */
  static void bind(MeterRegistry meters, PartitionSources sources, PartialWriter partials) {
    FunctionCounter.builder(
            "oxbow.batch.partials.written", partials, PartialWriter::partitionHoursWritten)
        .description("Partition hours this instance folded into partial aggregates")
        .register(meters);
    FunctionCounter.builder(
            "oxbow.batch.compaction.partitions", sources, PartitionSources::fromPartials)
        .description(MERGED_HELP)
        .tag("source", "partial")
        .register(meters);
    FunctionCounter.builder("oxbow.batch.compaction.partitions", sources, PartitionSources::folded)
        .description(MERGED_HELP)
        .tag("source", "folded")
        .register(meters);
  }
}
