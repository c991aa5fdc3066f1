package io.oxbow.batch.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads offsets with the Admin client (a group's committed offsets; a topic's start and
 * read_committed end offsets) and probes ranges for data records with a read_committed consumer
 * that belongs to no group and commits nothing. Thread-safe (one caller at a time).
 */
public final class KafkaOffsets implements RecordProbe, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaOffsets.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> probe;

  /**
   * Offsets of the cluster {@code admin} talks to.
   *
   * @param admin the Admin client (not closed by {@link #close()})
   * @param client the probing consumer's bootstrap servers and security settings
   */
  public KafkaOffsets(Admin admin, Map<String, Object> client) {
    this.admin = admin;
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "oxbow-batch-upstream-probe");
    this.probe =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The committed offsets of {@code group} on every partition of {@code topics} (empty where it has
   * none, or the group does not exist), with each partition's start and end offsets.
   */
  public synchronized List<PartitionOffsets> groupOffsets(String group, Collection<String> topics) {
    Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
    List<PartitionOffsets> out = new ArrayList<>();
    for (String topic : topics) {
      Map<Integer, long[]> bounds = bounds(topic);
      bounds.forEach(
          (p, b) -> {
            OffsetAndMetadata c = committed.get(new TopicPartition(topic, p));
            out.add(
                new PartitionOffsets(
                    new TopicPartition(topic, p),
                    c == null ? OptionalLong.empty() : OptionalLong.of(c.offset()),
                    b[0],
                    b[1]));
          });
    }
    return out;
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          new HashMap<>(
              admin
                  .listConsumerGroupOffsets(group)
                  .partitionsToOffsetAndMetadata()
                  .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      offsets.values().removeIf(v -> v == null);
      return offsets;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of();
      }
      throw new IllegalStateException("cannot read the offsets of group " + group, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer reading the offsets of group " + group, e);
    }
  }

  /** The read_committed end offset of every partition of {@code topic} (empty when absent). */
  public synchronized Map<Integer, Long> endOffsets(String topic) {
    Map<Integer, Long> ends = new HashMap<>();
    bounds(topic).forEach((p, b) -> ends.put(p, b[1]));
    return ends;
  }

  /** The partition count of {@code topic}, 0 when it does not exist. */
  public synchronized int partitionCount(String topic) {
    try {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return 0;
      }
      throw new IllegalStateException("cannot describe topic " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer describing topic " + topic, e);
    }
  }

  private Map<Integer, long[]> bounds(String topic) {
    int partitions = partitionCount(topic);
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, ListOffsetsResultInfo> starts = get(admin.listOffsets(earliest).all());
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        get(admin.listOffsets(latest, committed).all());
    Map<Integer, long[]> out = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      TopicPartition tp = new TopicPartition(topic, p);
      out.put(p, new long[] {starts.get(tp).offset(), ends.get(tp).offset()});
    }
    return out;
  }

  /**
   * Reads each range from its start until a record below its end turns up (the partition holds
   * data) or the consumer's position passes the end (only markers or aborted records were there). A
   * partition still undecided after 10 s counts as holding data.
   */
  @Override
  public synchronized Set<TopicPartition> withRecords(Map<TopicPartition, long[]> ranges) {
    Set<TopicPartition> found = new HashSet<>();
    Map<TopicPartition, long[]> pending = new HashMap<>(ranges);
    pending.values().removeIf(r -> r[0] >= r[1]);
    if (pending.isEmpty()) {
      return found;
    }
    probe.assign(pending.keySet());
    pending.forEach((tp, r) -> probe.seek(tp, r[0]));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      while (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          log.warn(
              "could not read {} within {}: counting them as holding records", pending, TIMEOUT);
          found.addAll(pending.keySet());
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : probe.poll(Duration.ofMillis(100))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          long[] range = pending.get(tp);
          if (range != null && r.offset() < range[1]) {
            found.add(tp);
            pending.remove(tp);
            probe.pause(List.of(tp));
          }
        }
        pending.entrySet().removeIf(e -> probe.position(e.getKey()) >= e.getValue()[1]);
      }
    } finally {
      probe.assign(List.of());
    }
    return found;
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not answer: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + TIMEOUT, e);
    }
  }

  /** Closes the probing consumer. */
  @Override
  public synchronized void close() {
    probe.close(Duration.ofSeconds(2));
  }
}
