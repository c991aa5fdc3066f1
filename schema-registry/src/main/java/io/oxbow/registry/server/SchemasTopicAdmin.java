package io.oxbow.registry.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin operations on the registry's storage topic: creating it (1 partition, {@code
 * cleanup.policy=compact}, replication min(3, brokers)) and finding its last committed offset.
 */
final class SchemasTopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(SchemasTopicAdmin.class);

  private SchemasTopicAdmin() {}

  static long committedEnd(Admin admin, TopicPartition partition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return admin
            .listOffsets(
                Map.of(partition, OffsetSpec.latest()),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .partitionResult(partition)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .offset();
      } catch (ExecutionException e) {
        // a topic created a moment ago may not be in every broker's metadata yet
        boolean retriable = e.getCause() instanceof RetriableException;
        if (!retriable || System.nanoTime() > deadline) {
          throw KafkaRegistryLog.storeError(
              "cannot read the end offset of " + partition.topic(), e.getCause());
        }
        pause();
      } catch (TimeoutException e) {
        throw KafkaRegistryLog.storeError("cannot read the end offset of " + partition.topic(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw KafkaRegistryLog.storeError("interrupted", e);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaRegistryLog.storeError("interrupted", e);
    }
  }

  static void createIfAbsent(Admin admin, String topic, Duration timeout) {
    try {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (existing.contains(topic)) {
        return;
      }
      int brokers =
          admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      short replication = (short) Math.min(3, Math.max(1, brokers));
      NewTopic newTopic =
          new NewTopic(topic, 1, replication)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("created the schema store topic {} (replication {})", topic, replication);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw KafkaRegistryLog.storeError(
            "cannot create the schema store topic " + topic, e.getCause());
      }
    } catch (TimeoutException e) {
      throw KafkaRegistryLog.storeError("Kafka did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaRegistryLog.storeError("interrupted", e);
    }
  }
}
