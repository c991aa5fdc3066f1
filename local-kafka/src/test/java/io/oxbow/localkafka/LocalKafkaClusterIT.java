package io.oxbow.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Three in-process nodes form one KRaft cluster: a topic replicated three times keeps taking
 * acks=all writes with one node stopped, and the node, restarted on its data, rejoins the ISR.
 */
class LocalKafkaClusterIT {

  @Test
  void shouldKeepWritingWithOneNodeDownAndRejoinTheIsrOnRestart() throws Exception {
    try (LocalKafkaCluster cluster = LocalKafkaCluster.builder().build().start();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).hasSize(3);
      String topic = "cluster-" + UUID.randomUUID();
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
          .all()
          .get();
      // a broker learns of a new topic from the controller's metadata a little after the create
      // returns: the one asked may not know it yet
      int leader =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> describe(admin, topic).partitions().get(0).leader(), l -> l != null)
              .id();

      cluster.stop(leader);
      try (KafkaProducer<String, String> producer = producer(cluster)) {
        producer.send(new ProducerRecord<>(topic, "k", "written with a node down")).get();
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(describe(admin, topic).partitions().get(0).isr())
                      .extracting(Node::id)
                      .hasSize(2)
                      .doesNotContain(leader));

      cluster.restart(leader);
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(describe(admin, topic).partitions().get(0).isr())
                      .extracting(Node::id)
                      .containsExactlyInAnyOrder(1, 2, 3));
    }
  }

  @Test
  void shouldDeriveOneClusterIdFromTheQuorumVoters() {
    String voters = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097";

    assertThat(LocalKafka.clusterIdOf(voters))
        .isEqualTo(LocalKafka.clusterIdOf(voters))
        .isNotEqualTo(LocalKafka.clusterIdOf("1@127.0.0.1:9093"))
        .hasSize(22);
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
  }

  private static KafkaProducer<String, String> producer(LocalKafkaCluster cluster) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            60_000),
        new StringSerializer(),
        new StringSerializer());
  }
}
