package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.runtime.config.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingest app against the real schema registry server: records are in Confluent's wire format
 * under the {@code <topic>-value} subjects, readable by any registry-aware consumer.
 */
@ExtendWith(KafkaBackendExtension.class)
class IngestWithRegistryIT {
  @Test
  void shouldWriteRegistryEncodedRecordsThatConsumersCanRead(KafkaBackend kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String bootstrap = kafka.bootstrapServers();
    try (SchemaRegistryServer registry =
            SchemaRegistryServer.builder(bootstrap).topic("_schemas-" + id).port(0).start();
        IngestApp app =
            IngestApp.builder(
                    IngestConfig.from(
                        ConfigSource.ofFlags(
                            Map.of(
                                IngestConfig.BOOTSTRAP_SERVERS.key(), bootstrap,
                                IngestConfig.PORT.key(), "0",
                                IngestConfig.SCHEMA_REGISTRY_URL.key(), registry.url(),
                                IngestConfig.LOGS_TOPIC.key(), "reg-logs-" + id,
                                IngestConfig.ORDERS_TOPIC.key(), "reg-orders-" + id,
                                IngestConfig.IDEMPOTENCY_TOPIC.key(), "reg-idem-" + id,
                                IngestConfig.TRANSACTIONAL_ID_PREFIX.key(), "reg-" + id))))
                .build()
                .start()) {
      IngestClient client = new IngestClient(app.baseUrl());
      assertThat(
              client
                  .post(
                      "/v1/logs",
                      "text/plain",
                      "127.0.0.1 - - \"GET / HTTP/1.1\" 200 5\n",
                      "X-Oxbow-Source",
                      "web-1")
                  .status())
          .isEqualTo(200);
      assertThat(
              client
                  .post(
                      "/v1/events/orders",
                      "application/json",
                      "{\"order_id\":\"o-1\",\"client_ip\":\"127.0.0.1\",\"customer_id\":\"c\","
                          + "\"amount\":3.5,\"currency\":\"CHF\","
                          + "\"event_time\":\"2026-11-25T10:00:00Z\"}")
                  .status())
          .isEqualTo(200);

      Map<String, Object> readerConfig =
          Map.of(
              AvroSerdeConfig.SCHEMA_REGISTRY_URL,
              registry.url(),
              AvroSerdeConfig.SPECIFIC_AVRO_READER,
              true);
      try (AvroDeserializer deserializer = new AvroDeserializer()) {
        deserializer.configure(readerConfig, false);
        await()
            .untilAsserted(
                () -> {
                  List<Object> lines =
                      TopicReader.readAll(bootstrap, "reg-logs-" + id).stream()
                          .map(r -> deserializer.deserialize(r.topic(), r.value()))
                          .toList();
                  assertThat(lines).hasSize(1);
                  RawLogLine line = (RawLogLine) lines.get(0);
                  assertThat(StandardCharsets.UTF_8.decode(line.getLine()).toString())
                      .startsWith("127.0.0.1");
                  assertThat(line.getSource()).isEqualTo("web-1");
                  List<Object> orders =
                      TopicReader.readAll(bootstrap, "reg-orders-" + id).stream()
                          .map(r -> deserializer.deserialize(r.topic(), r.value()))
                          .toList();
                  assertThat(orders).hasSize(1);
                  assertThat(((Order) orders.get(0)).getCurrency()).isEqualTo("CHF");
                });
      }
      IngestClient registryClient = new IngestClient(registry.url());
      assertThat(registryClient.get("/subjects").raw().body())
          .contains("reg-logs-" + id + "-value")
          .contains("reg-orders-" + id + "-value");
    }
  }
}
