package io.oxbow.stream;

import io.oxbow.runtime.kafka.TopicReplication;
import io.oxbow.runtime.kafka.TopicRetention;
import io.oxbow.views.ViewCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the topics the stream processor reads and writes when they are missing: raw, enriched,
 * DLQ, orders and attributed orders with {@code partitions} partitions (orders and enriched must be
 * co-partitioned for attribution), {@code ref.geoip} compacted with one partition, and one
 * compacted {@code views.speed.<view>} per view. Raw, orders, enriched, attributed and the DLQ keep
 * records for {@code oxbow.topic-retention} after they were written ({@link TopicRetention}): the
 * enriched and attributed topics, whose records carry their event time as timestamp, and the DLQ,
 * which gets copies of them, are stamped by the broker on append ({@code LogAppendTime}), so a
 * replay of years-old logs is kept as long as live data. Every topic gets the deployment's
 * replication ({@link TopicReplication}); existing topics are left as they are, with a warning when
 * replicated less than that.
 */
final class TopicSetup {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private TopicSetup() {}

  /**
   * Creates the missing topics.
   *
   * @return the replication resolved for the cluster, which Kafka Streams' internal topics take too
   */
  static TopicReplication ensure(StreamConfig config, ViewCatalog views, int partitions) {
    var t = config.topics();
    Map<String, String> compact =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    List<NewTopic> wanted = new ArrayList<>();
    TopicRetention retention = config.topicRetention();
    // raw and orders are stamped by the ingest app's producer as written
    for (String name : List.of(t.raw(), t.orders())) {
      wanted.add(new NewTopic(name, partitions, (short) -1).configs(retention.producedTime()));
    }
    // records of these carry event times: time retention would delete a replay of old logs at
    // once, so the broker stamps them on append and retention counts from then
    // (closed visits, key: visitor, are written with their start as timestamp; the visits speed
    // view folds them inside the topology, so nothing reads those timestamps back)
    for (String name : List.of(t.enriched(), t.attributed(), t.dlq(), t.visits())) {
      wanted.add(new NewTopic(name, partitions, (short) -1).configs(retention.appendTime()));
    }
    wanted.add(new NewTopic(t.geoip(), 1, (short) -1).configs(compact));
    for (String view : views.names()) {
      wanted.add(new NewTopic(t.speedView(view), partitions, (short) -1).configs(compact));
    }
    try (Admin admin =
        Admin.create(
            config
                .kafkaSecurity()
                .applyTo(
                    new java.util.HashMap<>(
                        Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            config.bootstrapServers()))))) {
      TopicReplication replication =
          TopicReplication.discover(admin, config.replication(), ADMIN_TIMEOUT);
      replication.createMissing(admin, wanted, ADMIN_TIMEOUT);
      return replication;
    }
  }
}
