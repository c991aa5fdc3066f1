package io.oxbow.batch.upstream;

import java.util.Optional;

/**
 * What Kafka says about a landed topic when its watermark is decided: how many partitions it has,
 * whether the stage that writes it still has records waiting on its own inputs, and whether the
 * loader has landed everything written to a partition. The watermark policy asks only when a
 * partition is otherwise idle, and asks {@link #upstream()} before {@link #landedToEnd}: records
 * the upstream writes after it was found drained are then seen at the landed topic's end.
 */
public interface TopicInputs {

  /** The landed topic's partition count (0 when it does not exist). */
  int partitions();

  /** The upstream's lag on its inputs; empty when nothing is waiting or there is no upstream. */
  Optional<UpstreamLag> upstream();

  /**
   * True when {@code partition} holds no committed record at or after {@code nextOffset} (its
   * manifest's next offset) below the end offset read after {@link #upstream()}.
   */
  boolean landedToEnd(int partition, long nextOffset);

  /** Inputs of a topic without upstream whose every partition counts as landed (no Kafka). */
  static TopicInputs withoutUpstream(int partitions) {
    return new TopicInputs() {
      @Override
      public int partitions() {
        return partitions;
      }

      @Override
      public Optional<UpstreamLag> upstream() {
        return Optional.empty();
      }

      @Override
      public boolean landedToEnd(int partition, long nextOffset) {
        return true;
      }
    };
  }
}
