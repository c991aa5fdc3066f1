package io.oxbow.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.User;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.server.SchemaRegistryServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Producer and consumer with the serde over the REST registry and a real broker. */
@ExtendWith(KafkaBackendExtension.class)
class AvroSerdeKafkaIT {

  @Test
  void shouldProduceAndConsumeSpecificRecordsAndNameBadRecords(KafkaBackend kafka)
      throws Exception {
    String topic = "users-" + UUID.randomUUID();
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(kafka.bootstrapServers())
            .topic("_schemas-serde-" + UUID.randomUUID())
            .port(0)
            .start()) {
      Map<String, Object> producerProps = new HashMap<>();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
      producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
      producerProps.put("schema.registry.url", registry.url());
      User ann = User.newBuilder().setId(1L).setName("Ann").setEmail("a@b.c").build();
      try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(producerProps)) {
        producer.send(new ProducerRecord<>(topic, 0, "k1", ann)).get();
        producer.send(new ProducerRecord<>(topic, 0, "k2", null)).get();
      }
      Map<String, Object> raw =
          Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(raw, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {1, 0, 0, 0, 1, 2})).get();
      }

      Map<String, Object> consumerProps = new HashMap<>();
      consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
      consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
      consumerProps.put("schema.registry.url", registry.url());
      consumerProps.put("specific.avro.reader", "true");
      List<String> seen = new ArrayList<>();
      List<RecordDeserializationException> bad = new ArrayList<>();
      try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(consumerProps)) {
        consumer.subscribe(List.of(topic));
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  try {
                    for (ConsumerRecord<Object, Object> r : consumer.poll(Duration.ofMillis(200))) {
                      seen.add(r.key() + "=" + r.value());
                    }
                  } catch (RecordDeserializationException e) {
                    bad.add(e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                  }
                  return !bad.isEmpty();
                });
      }
      assertThat(seen).containsExactly("k1=" + ann, "k2=null");
      RecordDeserializationException e = bad.get(0);
      assertThat(e.offset()).isEqualTo(2);
      assertThat(e.topicPartition().partition()).isZero();
      assertThat(e.getCause())
          .hasMessageContaining("topic " + topic)
          .hasMessageContaining("magic byte 1");
    }
  }
}
