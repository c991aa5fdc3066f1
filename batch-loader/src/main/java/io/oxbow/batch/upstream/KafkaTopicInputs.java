package io.oxbow.batch.upstream;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@link TopicInputs} of one landed topic for one watermark decision, read from Kafka on first
 * use and then kept: the upstream group's lag ({@link UpstreamLag#measure}) is measured before the
 * landed topic's end offsets are read, so a record the upstream wrote after it was found drained is
 * below those ends and seen by {@link #landedToEnd}.
 */
public final class KafkaTopicInputs implements TopicInputs {
  private final KafkaOffsets kafka;
  private final String topic;
  private final String group;
  private final List<String> upstreamTopics;
  private Optional<UpstreamLag> upstream;
  private Map<Integer, Long> ends;
  private int partitions = -1;

  /**
   * Inputs of {@code topic}, whose upstream is {@code group} reading {@code upstreamTopics} (none:
   * the topic has no upstream).
   */
  public KafkaTopicInputs(
      KafkaOffsets kafka, String topic, String group, List<String> upstreamTopics) {
    this.kafka = kafka;
    this.topic = topic;
    this.group = group;
    this.upstreamTopics = List.copyOf(upstreamTopics);
  }

  @Override
  public int partitions() {
    if (partitions < 0) {
      partitions = kafka.partitionCount(topic);
    }
    return partitions;
  }

  @Override
  public Optional<UpstreamLag> upstream() {
    if (upstream == null) {
      upstream =
          upstreamTopics.isEmpty()
              ? Optional.empty()
              : UpstreamLag.measure(group, kafka.groupOffsets(group, upstreamTopics), kafka);
    }
    return upstream;
  }

  @Override
  public boolean landedToEnd(int partition, long nextOffset) {
    upstream();
    if (ends == null) {
      ends = kafka.endOffsets(topic);
    }
    long end = ends.getOrDefault(partition, 0L);
    TopicPartition tp = new TopicPartition(topic, partition);
    return nextOffset >= end
        || kafka.withRecords(Map.of(tp, new long[] {Math.max(0, nextOffset), end})).isEmpty();
  }
}
