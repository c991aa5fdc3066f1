package io.oxbow.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.client.SchemaRegistryClients;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.runtime.kafka.TopicReadiness;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Interop with independent clients: {@code kafkajs} and {@code @kafkajs/confluent-schema-registry}
 * from the npm registry, run by Node.js against Oxbow's registry and broker. JavaScript registers
 * and produces, Java decodes; Java produces, JavaScript decodes; both see the same schema ids.
 * Skipped only where Node.js is not installed.
 */
@ExtendWith(KafkaBackendExtension.class)
class JavaScriptInteropIT {
  private static final String CLICK =
      "{\"type\":\"record\",\"name\":\"Click\",\"namespace\":\"com.example.interop\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"page\",\"type\":\"string\"},"
          + "{\"name\":\"ref\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

  @Test
  void shouldInteroperateWithKafkaJsBothWays(KafkaBackend kafka) throws Exception {
    Assumptions.assumeTrue(
        NodeInterop.nodeAvailable(),
        "node is not installed: skipping the JavaScript (kafkajs) interop test");
    NodeInterop node = NodeInterop.prepare();
    String jsTopic = "interop-js-" + UUID.randomUUID();
    String javaTopic = "interop-java-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(jsTopic, 1, (short) 1), new NewTopic(javaTopic, 1, (short) 1)))
          .all()
          .get();
      TopicReadiness.await(admin, List.of(jsTopic, javaTopic), Duration.ofSeconds(30));
    }
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(kafka.bootstrapServers())
            .topic("_schemas-interop-" + UUID.randomUUID())
            .port(0)
            .start()) {
      Map<String, Object> config = Map.of("schema.registry.url", registry.url());

      // JavaScript registers and produces; Java decodes
      JsonNode produced =
          node.call(
              "produce",
              kafka.bootstrapServers(),
              registry.url(),
              jsTopic,
              jsTopic + "-value",
              CLICK,
              "[{\"id\":1,\"page\":\"/a\",\"ref\":null},{\"id\":2,\"page\":\"/b\",\"ref\":\"x\"}]");
      int jsId = produced.get("id").asInt();
      assertThat(produced.get("latest").asInt()).isEqualTo(jsId);
      try (SchemaRegistryClient client = SchemaRegistryClients.create(config)) {
        assertThat(client.lookup(jsTopic + "-value", new Schema.Parser().parse(CLICK)).id())
            .isEqualTo(jsId);
      }
      List<ConsumerRecord<String, byte[]>> raw = consumeRaw(kafka, jsTopic, 2);
      AvroDeserializer deserializer = new AvroDeserializer();
      deserializer.configure(config, false);
      List<String> decoded = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : raw) {
        assertThat(ByteBuffer.wrap(r.value(), 1, 4).getInt()).isEqualTo(jsId);
        GenericRecord value = (GenericRecord) deserializer.deserialize(jsTopic, r.value());
        decoded.add(value.get("id") + " " + value.get("page") + " " + value.get("ref"));
      }
      assertThat(decoded).containsExactly("1 /a null", "2 /b x");

      // Java produces; JavaScript decodes
      Schema click = new Schema.Parser().parse(CLICK);
      int javaId;
      Map<String, Object> producerProps = new HashMap<>(config);
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, Object> producer =
          new KafkaProducer<>(producerProps, new StringSerializer(), serializer(config))) {
        for (long i = 10; i < 13; i++) {
          GenericRecord r = new GenericData.Record(click);
          r.put("id", i);
          r.put("page", "/p" + i);
          r.put("ref", i == 11 ? "ref" + i : null);
          producer.send(new ProducerRecord<>(javaTopic, String.valueOf(i), r)).get();
        }
      }
      try (SchemaRegistryClient client = SchemaRegistryClients.create(config)) {
        javaId = client.latest(javaTopic + "-value").id();
      }
      assertThat(javaId).as("identical schema, same global id").isEqualTo(jsId);
      JsonNode consumed =
          node.call("consume", kafka.bootstrapServers(), registry.url(), javaTopic, "3");
      List<String> fromJs = new ArrayList<>();
      for (JsonNode r : consumed.get("records")) {
        assertThat(r.get("schemaId").asInt()).isEqualTo(javaId);
        JsonNode v = r.get("value");
        fromJs.add(v.get("id").asText() + " " + v.get("page").asText() + " " + v.get("ref"));
      }
      assertThat(fromJs).containsExactly("10 /p10 null", "11 /p11 \"ref11\"", "12 /p12 null");
    }
  }

  private static AvroSerializer serializer(Map<String, Object> config) {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(config, false);
    return serializer;
  }

  private static List<ConsumerRecord<String, byte[]>> consumeRaw(
      KafkaBackend kafka, String topic, int count) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "interop-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            props,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= count;
              });
    }
    return out;
  }
}
