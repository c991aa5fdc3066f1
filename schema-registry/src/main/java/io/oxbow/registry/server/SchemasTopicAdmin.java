package io.oxbow.registry.server;

import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.kafka.TopicReplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin operations on the registry's storage topic: creating it (1 partition, {@code
 * cleanup.policy=compact}, the deployment's replication) and finding its last committed offset.
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

  /**
   * Creates the storage topic when absent (1 partition, compacted) with the deployment's
   * replication, or warns when the existing one is replicated less (see {@link TopicReplication}).
   */
  static void createIfAbsent(
      Admin admin, String topic, ReplicationSettings replication, Duration timeout) {
    try {
      TopicReplication wanted = TopicReplication.discover(admin, replication, timeout);
      NewTopic newTopic =
          new NewTopic(topic, 1, (short) -1)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      if (!wanted.createMissing(admin, List.of(newTopic), timeout).isEmpty()) {
        log.info("created the schema store topic {}", topic);
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw KafkaRegistryLog.storeError("cannot create the schema store topic " + topic, e);
    }
  }
}
