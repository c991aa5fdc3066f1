package io.oxbow.serving.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The lag of a consumer group, measured with Kafka's Admin API: records between its committed
 * offsets and the partitions' end offsets, and in seconds the age of the oldest record it has not
 * consumed yet (the "iterator age": now minus the timestamp of the record at its committed offset).
 */
public final class ConsumerLag implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> probe;

  /** Measures with clients built from {@code props} (at least bootstrap servers). */
  public ConsumerLag(Properties props) {
    this.admin = Admin.create(props);
    Properties consumer = new Properties();
    consumer.putAll(props);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    this.probe =
        new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The lag of {@code group}: {@code {"group", "records", "seconds", "partitions"}}, or with {@code
   * "error"} when the group has committed nothing or the cluster does not answer.
   */
  public synchronized Map<String, Object> of(String group) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", group);
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      committed.values().removeIf(v -> v == null);
      if (committed.isEmpty()) {
        out.put("records", null);
        out.put("seconds", null);
        out.put("error", "the group has committed no offsets");
        return out;
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long records = 0;
      long oldest = Long.MAX_VALUE;
      for (Map.Entry<TopicPartition, OffsetAndMetadata> c : committed.entrySet()) {
        long lag = Math.max(0, ends.get(c.getKey()).offset() - c.getValue().offset());
        records += lag;
        if (lag > 0) {
          oldest = Math.min(oldest, timestampAt(c.getKey(), c.getValue().offset()));
        }
      }
      out.put("records", records);
      out.put(
          "seconds",
          oldest == Long.MAX_VALUE ? 0.0 : Math.max(0, System.currentTimeMillis() - oldest) / 1e3);
      out.put("partitions", committed.size());
    } catch (ExecutionException | TimeoutException e) {
      out.put("records", null);
      out.put("seconds", null);
      out.put("error", e.getCause() == null ? e.toString() : e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.put("error", "interrupted");
    }
    return out;
  }

  private long timestampAt(TopicPartition tp, long offset) {
    probe.assign(java.util.List.of(tp));
    probe.seek(tp, offset);
    long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : probe.poll(Duration.ofMillis(100))) {
        return record.timestamp();
      }
    }
    return Long.MAX_VALUE;
  }

  @Override
  public void close() {
    probe.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
  }
}
