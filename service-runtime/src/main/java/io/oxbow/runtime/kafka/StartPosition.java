package io.oxbow.runtime.kafka;

import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a {@link TopicTail} starts reading a partition it has not read before: {@link
 * #beginning()}, {@link #timestamp} (the first record at or after a time) or {@link #committed} (a
 * consumer group's committed offset). After a restart the tail goes on from the record after the
 * last one handled, whatever the start position.
 */
public sealed interface StartPosition {
  /** The oldest record still in the partition. */
  static StartPosition beginning() {
    return new Beginning();
  }

  /**
   * The first record whose timestamp is at or after the time {@code since} gives for the partition
   * (UTC epoch millis, looked up when the partition is first assigned): the end when there is none,
   * the beginning when {@code since} gives no time.
   */
  static StartPosition timestamp(Function<TopicPartition, OptionalLong> since) {
    return new Timestamp(since);
  }

  /**
   * The offset committed by the consumer group {@code groupId} (the tail itself never commits); the
   * beginning for a partition without one.
   */
  static StartPosition committed(String groupId) {
    return new Committed(groupId);
  }

  /** From the oldest record. */
  record Beginning() implements StartPosition {}

  /**
   * From a time.
   *
   * @param since the time per partition, UTC epoch millis; empty: from the beginning
   */
  record Timestamp(Function<TopicPartition, OptionalLong> since) implements StartPosition {}

  /**
   * From a group's committed offsets.
   *
   * @param groupId the consumer group
   */
  record Committed(String groupId) implements StartPosition {}
}
