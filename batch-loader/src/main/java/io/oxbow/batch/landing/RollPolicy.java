package io.oxbow.batch.landing;

import java.time.Duration;

/**
 * When a partition's open file is closed and published. A file also always closes before a record
 * of another event hour or with another writer schema, so each file holds one hour and one schema.
 *
 * <ul>
 *   <li>{@code maxRows}: after this many rows (Confluent S3 sink {@code flush.size});
 *   <li>{@code maxBytes}: once the encoded size reaches this (checked every 64 rows, so a file may
 *       hold up to 63 rows more);
 *   <li>{@code rotateInterval}: before a record whose Kafka timestamp is this far past the file's
 *       first record (deterministic, like {@code rotate.interval.ms}), and also when the file has
 *       been open this long by the wall clock, so an idle partition still publishes what it holds
 *       (like {@code rotate.schedule.interval.ms}).
 * </ul>
 *
 * <p>Every rule but the wall-clock one depends only on the records, so a replay after a crash
 * writes the same file boundaries; a wall-clock roll is safe too because recovery adopts published
 * files by the offsets in their names.
 *
 * @param maxRows rows per file
 * @param maxBytes approximate encoded bytes per file
 * @param rotateInterval longest time a file stays open
 */
public record RollPolicy(long maxRows, long maxBytes, Duration rotateInterval) {
  /** Checks the limits. */
  public RollPolicy {
    if (maxRows < 1 || maxBytes < 1 || rotateInterval.isNegative() || rotateInterval.isZero()) {
      throw new IllegalArgumentException("roll limits must be positive");
    }
  }
}
