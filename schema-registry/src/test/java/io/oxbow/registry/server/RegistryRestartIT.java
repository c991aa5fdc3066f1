package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** State survives a restart: a new registry rebuilds it from the _schemas topic. */
@ExtendWith(KafkaBackendExtension.class)
class RegistryRestartIT {

  @Test
  void shouldRecoverSubjectsIdsConfigAndDeletesFromTheTopic(KafkaBackend kafka) {
    String topic = "_schemas-restart-" + UUID.randomUUID();
    int v1Id;
    try (SchemaRegistryServer first = start(kafka, topic)) {
      Http http = new Http(first.url());
      v1Id =
          http.post("/subjects/users-value/versions", Http.schemaBody(SchemaRegistryRestIT.V1))
              .json()
              .get("id")
              .asInt();
      http.post("/subjects/users-value/versions", Http.schemaBody(SchemaRegistryRestIT.V2));
      http.post("/subjects/other-value/versions", Http.schemaBody("\"string\""));
      http.put("/config/users-value", "{\"compatibility\":\"FULL\"}");
      http.delete("/subjects/users-value/versions/1");
      http.delete("/subjects/other-value");
    }

    try (SchemaRegistryServer second = start(kafka, topic)) {
      Http http = new Http(second.url());
      assertThat(http.get("/health/ready").status()).isEqualTo(200);
      assertThat(http.get("/subjects").body()).isEqualTo("[\"users-value\"]");
      assertThat(http.get("/subjects?deleted=true").body())
          .isEqualTo("[\"other-value\",\"users-value\"]");
      assertThat(http.get("/subjects/users-value/versions").body()).isEqualTo("[2]");
      assertThat(http.get("/schemas/ids/" + v1Id).json().get("schema").asText()).contains("User");
      assertThat(http.get("/config/users-value").body())
          .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
      int next =
          http.post("/subjects/new-value/versions", Http.schemaBody("\"long\""))
              .json()
              .get("id")
              .asInt();
      assertThat(next).isEqualTo(4);
    }

    List<String> log = readTopic(kafka, topic);
    assertThat(log)
        .contains(
            "{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}",
            "{\"keytype\":\"CONFIG\",\"subject\":\"users-value\",\"magic\":0}"
                + " => {\"compatibilityLevel\":\"FULL\",\"subject\":\"users-value\"}",
            "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"other-value\",\"magic\":0}"
                + " => {\"subject\":\"other-value\",\"version\":1}");
    assertThat(log.stream().filter(l -> l.contains("\"deleted\":true")).toList())
        .singleElement()
        .asString()
        .contains("\"version\":1,\"id\":" + v1Id);
  }

  private static SchemaRegistryServer start(KafkaBackend kafka, String topic) {
    return SchemaRegistryServer.builder(kafka.bootstrapServers()).topic(topic).port(0).start();
  }

  /** Every record of the topic twice: its key alone, and as "key => value". */
  static List<String> readTopic(KafkaBackend kafka, String topic) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.key());
          out.add(r.key() + " => " + r.value());
        }
      }
    }
    return out;
  }
}
