package io.oxbow.batch.upstream;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells which partitions hold committed data records in an offset range. Offsets alone cannot: a
 * transactional producer (the ingest app, the stream processor under exactly_once_v2) writes a
 * marker after each transaction, which takes an offset but is no record, and aborted records are
 * never delivered to a read_committed consumer.
 */
@FunctionalInterface
public interface RecordProbe {

  /**
   * The partitions of {@code ranges} holding at least one committed record at an offset in {@code
   * [from, to)}. A partition that cannot be checked counts as holding one.
   *
   * @param ranges per partition {@code {from, to}}
   */
  Set<TopicPartition> withRecords(Map<TopicPartition, long[]> ranges);
}
