package io.oxbow.runtime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions one consumer of a {@link TopicTail} reads: finds the topics' partitions, assigns
 * the new ones and seeks each to the position reached before (after a restart) or to its {@link
 * StartPosition}. Used by the tail's thread only.
 */
final class Assignment {
  private static final Logger log = LoggerFactory.getLogger(Assignment.class);

  private final String name;
  private final Set<String> topics;
  private final StartPosition start;
  private final Map<TopicPartition, Long> positions;
  private final Set<TopicPartition> assigned = new HashSet<>();

  Assignment(
      String name, Set<String> topics, StartPosition start, Map<TopicPartition, Long> positions) {
    this.name = name;
    this.topics = topics;
    this.start = start;
    this.positions = positions;
  }

  /** The partitions assigned so far. */
  Set<TopicPartition> partitions() {
    return assigned;
  }

  /**
   * Assigns the partitions not assigned yet and seeks them.
   *
   * @return the end offsets of the partitions added (the last stable offsets when reading
   *     committed)
   */
  Map<TopicPartition, Long> addNew(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> fresh = new ArrayList<>();
    for (String topic : topics) {
      try {
        List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofSeconds(5));
        if (partitions != null) {
          partitions.stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .filter(tp -> !assigned.contains(tp))
              .forEach(fresh::add);
        }
      } catch (TimeoutException | UnknownTopicOrPartitionException e) {
        // not created yet: looked for again at the next refresh
        log.debug("{}: topic {} not found yet: {}", name, topic, e.toString());
      }
    }
    if (fresh.isEmpty()) {
      return Map.of();
    }
    assigned.addAll(fresh);
    c.assign(assigned);
    List<TopicPartition> unread = new ArrayList<>();
    for (TopicPartition tp : fresh) {
      Long position = positions.get(tp);
      if (position == null) {
        unread.add(tp);
      } else {
        // after a restart, go on from the record after the last one handled
        c.seek(tp, position);
      }
    }
    if (!unread.isEmpty()) {
      seekToStart(c, unread);
    }
    log.debug("{}: reading {}", name, fresh);
    return new HashMap<>(c.endOffsets(fresh));
  }

  private void seekToStart(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> unread) {
    List<TopicPartition> fromBeginning = new ArrayList<>();
    if (start instanceof StartPosition.Timestamp at) {
      Map<TopicPartition, Long> times = new HashMap<>();
      for (TopicPartition tp : unread) {
        OptionalLong since = at.since().apply(tp);
        if (since.isPresent()) {
          times.put(tp, Math.max(0, since.getAsLong()));
        } else {
          fromBeginning.add(tp);
        }
      }
      if (!times.isEmpty()) {
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(times);
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition tp : times.keySet()) {
          OffsetAndTimestamp offset = found.get(tp);
          if (offset == null) {
            toEnd.add(tp); // no record at or after the time yet
          } else {
            c.seek(tp, offset.offset());
          }
        }
        if (!toEnd.isEmpty()) {
          c.seekToEnd(toEnd);
        }
        log.info("{}: reading {} from {}", name, times.keySet(), times);
      }
    } else if (start instanceof StartPosition.Committed) {
      Map<TopicPartition, OffsetAndMetadata> committed = c.committed(new HashSet<>(unread));
      for (TopicPartition tp : unread) {
        OffsetAndMetadata offset = committed.get(tp);
        if (offset == null) {
          fromBeginning.add(tp);
        } else {
          c.seek(tp, offset.offset());
        }
      }
    } else {
      fromBeginning.addAll(unread);
    }
    if (!fromBeginning.isEmpty()) {
      // an empty list would seek every assigned partition
      c.seekToBeginning(fromBeginning);
    }
  }
}
