package io.oxbow.batch.upstream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The records an upstream consumer group (the stage that writes a landed topic) has not consumed
 * yet from its inputs. While any is waiting, the landed topic may still receive rows for any hour,
 * so its partitions do not count as idle.
 *
 * <p>The rule ({@link #measure}): per input partition, the group resumes at its committed offset
 * (the log start when it has committed none); the partition holds the group back when a committed
 * data record exists between there and the read_committed end offset. Offsets alone would not do: a
 * transactional producer writes a marker after each transaction, so a group that has consumed
 * everything can still be an offset or more behind the end. A group that does not exist, or has
 * committed no offset for a partition that holds records, lags by all of them.
 *
 * @param group the upstream consumer group (the stream processor's application id)
 * @param topics per input topic still holding records for the group, in name order
 */
public record UpstreamLag(String group, List<TopicLag> topics) {

  /** Copies the list. */
  public UpstreamLag {
    topics = List.copyOf(topics);
  }

  /**
   * The lag of {@code group} over {@code offsets}, or empty when no input holds a record it has not
   * consumed.
   *
   * @param offsets the group's committed offsets and the inputs' start and end offsets
   * @param probe tells which of the lagging partitions hold data records (not only markers)
   */
  public static Optional<UpstreamLag> measure(
      String group, List<PartitionOffsets> offsets, RecordProbe probe) {
    Map<TopicPartition, long[]> ranges = new HashMap<>();
    Map<TopicPartition, PartitionOffsets> byPartition = new HashMap<>();
    for (PartitionOffsets o : offsets) {
      if (o.resumeAt() < o.end()) {
        ranges.put(o.partition(), new long[] {o.resumeAt(), o.end()});
        byPartition.put(o.partition(), o);
      }
    }
    if (ranges.isEmpty()) {
      return Optional.empty();
    }
    Map<String, TopicLag> byTopic = new TreeMap<>();
    for (TopicPartition tp : probe.withRecords(ranges)) {
      PartitionOffsets o = byPartition.get(tp);
      if (o == null) {
        continue;
      }
      TopicLag lag = new TopicLag(tp.topic(), o.end() - o.resumeAt(), o.committed().isEmpty());
      byTopic.merge(tp.topic(), lag, TopicLag::plus);
    }
    return byTopic.isEmpty()
        ? Optional.empty()
        : Optional.of(new UpstreamLag(group, List.copyOf(byTopic.values())));
  }

  /** Records waiting over every input topic. */
  public long records() {
    return topics.stream().mapToLong(TopicLag::records).sum();
  }

  /**
   * Why the watermark holds, for {@code /status} and the log: {@code upstream group oxbow-stream
   * lags 23606 records on access-logs.raw}.
   */
  public String describe() {
    return "upstream group "
        + group
        + " lags "
        + topics.stream().map(TopicLag::describe).collect(Collectors.joining(", "));
  }

  /**
   * The lag on one input topic.
   *
   * @param topic the input topic
   * @param records offsets between where the group resumes and the end, over the partitions that
   *     hold a record it has not consumed (transaction markers among them are counted too)
   * @param uncommitted true when the group has committed no offset for one of those partitions (it
   *     does not exist, or never committed)
   */
  public record TopicLag(String topic, long records, boolean uncommitted) {

    TopicLag plus(TopicLag other) {
      return new TopicLag(topic, records + other.records, uncommitted || other.uncommitted);
    }

    String describe() {
      return records
          + (records == 1 ? " record on " : " records on ")
          + topic
          + (uncommitted ? " (no committed offset)" : "");
    }
  }
}
