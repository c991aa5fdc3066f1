package io.oxbow.ingest;

import io.oxbow.runtime.kafka.TopicReplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the topics the ingest app writes when they are missing, with the deployment's replication
 * ({@link TopicReplication}): the logs and orders topics with the broker's default partition count
 * (the stream processor, started first, creates them with its own count) and the time retention of
 * {@code oxbow.topic-retention} (their records are stamped as produced, so retention counts from
 * when they were written), and the idempotency topic ({@link IdempotencyStore#topicSpec}). Existing
 * topics are left as they are, with a warning when replicated less than the deployment asks.
 */
final class IngestTopics {
  private IngestTopics() {}

  /**
   * Creates the missing topics through a short-lived admin client.
   *
   * @param client Kafka client settings (bootstrap servers and security)
   * @param config the app's configuration (topic names, idempotency window, replication)
   * @param timeout bound of each admin call
   * @return the replication resolved for the cluster
   */
  static TopicReplication ensure(
      Map<String, Object> client, IngestConfig config, Duration timeout) {
    try (Admin admin = Admin.create(client)) {
      TopicReplication replication =
          TopicReplication.discover(admin, config.replication(), timeout);
      replication.createMissing(
          admin,
          List.of(
              new NewTopic(config.logsTopic(), -1, (short) -1)
                  .configs(config.topicRetention().producedTime()),
              new NewTopic(config.ordersTopic(), -1, (short) -1)
                  .configs(config.topicRetention().producedTime()),
              IdempotencyStore.topicSpec(config.idempotencyTopic(), config.idempotencyWindow())),
          timeout);
      return replication;
    }
  }
}
