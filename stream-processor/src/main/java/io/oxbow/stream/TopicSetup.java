package io.oxbow.stream;

import io.oxbow.views.ViewCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the stream processor reads and writes when they are missing: raw, enriched,
 * DLQ, orders and attributed orders with {@code partitions} partitions (orders and enriched must be
 * co-partitioned for attribution), {@code ref.geoip} compacted with one partition, and one
 * compacted {@code views.speed.<view>} per view. The enriched and attributed topics get {@code
 * retention.ms=-1}: their record timestamps are event times, which time retention would judge
 * expired for any replay of logs older than the retention. Existing topics are left as they are.
 */
final class TopicSetup {
  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  static void ensure(StreamConfig config, ViewCatalog views, int partitions) {
    var t = config.topics();
    Map<String, String> compact =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    List<NewTopic> wanted = new ArrayList<>();
    // records of the enriched and attributed topics carry their event time as timestamp: time
    // retention would delete a replay of old logs at once, so it is off (size retention applies)
    Map<String, String> eventTime = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
    for (String name : List.of(t.raw(), t.dlq(), t.orders())) {
      wanted.add(new NewTopic(name, partitions, (short) -1));
    }
    for (String name : List.of(t.enriched(), t.attributed())) {
      wanted.add(new NewTopic(name, partitions, (short) -1).configs(eventTime));
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
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = wanted.stream().filter(n -> !existing.contains(n.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get();
          log.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
