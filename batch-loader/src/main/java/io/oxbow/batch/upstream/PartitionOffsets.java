package io.oxbow.batch.upstream;

import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * What Kafka says about one input partition of a consumer group: the group's committed offset (if
 * any), and the partition's first offset and read_committed end offset (its last stable offset).
 *
 * @param partition the topic partition
 * @param committed the group's committed offset, empty when it has committed none
 * @param start the first offset still in the log
 * @param end the end offset a read_committed consumer reads up to
 */
public record PartitionOffsets(
    TopicPartition partition, OptionalLong committed, long start, long end) {

  /** Where the group resumes: its committed offset, or the log start when it has none. */
  public long resumeAt() {
    return committed.isPresent() ? Math.max(committed.getAsLong(), start) : start;
  }
}
