package io.oxbow.batch.view;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How the compactor got each partition's groups of the hours it compacted, counted per partition
 * and hour since start: from the partial aggregates another instance (or this one) wrote ({@link
 * #fromPartials}), or by folding the partition's landed rows itself ({@link #folded}) because its
 * partial was missing, stale or folded with another view definition. Thread-safe.
 */
public final class PartitionSources {
  private final AtomicLong fromPartials = new AtomicLong();
  private final AtomicLong folded = new AtomicLong();

  /** Partition hours merged from partials. */
  public long fromPartials() {
    return fromPartials.get();
  }

  /** Partition hours folded from landed rows by the compactor. */
  public long folded() {
    return folded.get();
  }

  void countPartial() {
    fromPartials.incrementAndGet();
  }

  void countFolded() {
    folded.incrementAndGet();
  }
}
