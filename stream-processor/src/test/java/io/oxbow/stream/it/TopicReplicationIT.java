package io.oxbow.stream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.kafka.TopicReplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TopicReplication} against a real broker: missing topics are created with the resolved
 * replication and their own configs, existing ones are left alone, and an existing topic replicated
 * less than asked is reported by name with actual and wanted values.
 */
@ExtendWith(KafkaBackendExtension.class)
class TopicReplicationIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void shouldCreateMissingTopicsAndReportExistingOnesReplicatedLess(KafkaBackend kafka)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicReplication auto =
          TopicReplication.discover(admin, ReplicationSettings.AUTOMATIC, TIMEOUT);
      int brokers = admin.describeCluster().nodes().get().size();
      assertThat(auto).isEqualTo(TopicReplication.resolve(ReplicationSettings.AUTOMATIC, brokers));

      String existing = "replication-existing-" + UUID.randomUUID();
      admin.createTopics(List.of(new NewTopic(existing, 1, (short) 1))).all().get();
      String missing = "replication-missing-" + UUID.randomUUID();
      Set<String> created =
          auto.createMissing(
              admin,
              List.of(
                  new NewTopic(existing, 5, (short) -1),
                  new NewTopic(missing, 2, (short) -1)
                      .configs(Map.of("cleanup.policy", "compact"))),
              TIMEOUT);

      assertThat(created).containsExactly(missing);
      var described = admin.describeTopics(List.of(existing, missing)).allTopicNames().get();
      assertThat(described.get(existing).partitions()).hasSize(1);
      assertThat(described.get(missing).partitions())
          .hasSize(2)
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(auto.factor()));
      Config config =
          admin
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, missing)))
              .all()
              .get()
              .values()
              .iterator()
              .next();
      assertThat(config.get("min.insync.replicas").value())
          .isEqualTo(String.valueOf(auto.minInsyncReplicas()));
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");

      TopicReplication wanted = new TopicReplication((short) 3, 2);
      assertThat(wanted.warnUnderReplicated(admin, List.of(existing), TIMEOUT))
          .containsExactly(
              "topic " + existing + " has replication factor 1, wanted 3",
              "topic " + existing + " has min.insync.replicas 1, wanted 2");
    }
  }
}
