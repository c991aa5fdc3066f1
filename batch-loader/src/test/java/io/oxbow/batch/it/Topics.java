package io.oxbow.batch.it;

import static org.awaitility.Awaitility.await;

import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topic set-up and Avro producing for the batch-loader ITs. */
public final class Topics {
  private Topics() {}

  /** Creates {@code topic} with {@code partitions} partitions. */
  public static void create(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** Creates the single-partition compacted topic {@code topic} and waits until it is known. */
  public static void createCompacted(String bootstrap, String topic) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () -> {
                try {
                  admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
                  return true;
                } catch (java.util.concurrent.ExecutionException e) {
                  return false;
                }
              });
    }
  }

  /** The end offset of every partition of {@code topic}. */
  public static Map<Integer, Long> endOffsets(String bootstrap, String topic, int partitions)
      throws Exception {
    try (Admin admin = admin(bootstrap)) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
          .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
    }
  }

  /** Produces every value (Confluent wire-format Avro via the registry at {@code registryUrl}). */
  public static void produce(
      String bootstrap, String registryUrl, String topic, List<?> values, KeyOf keyOf)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      for (Object value : values) {
        producer.send(new ProducerRecord<>(topic, keyOf.key(value), value));
      }
      producer.flush();
    }
  }

  /** The key of a value. */
  @FunctionalInterface
  public interface KeyOf {
    /** The key. */
    String key(Object value);
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
