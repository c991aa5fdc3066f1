package io.oxbow.batch.it;

import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.runtime.kafka.TopicReadiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topic set-up and Avro producing for the batch-loader ITs. */
public final class Topics {
  private Topics() {}

  /** Creates {@code topic} with {@code partitions} partitions and waits until it takes writes. */
  public static void create(String bootstrap, String topic, int partitions) throws Exception {
    create(bootstrap, new NewTopic(topic, partitions, (short) 1));
  }

  /** Creates the single-partition compacted topic {@code topic} and waits until it takes writes. */
  public static void createCompacted(String bootstrap, String topic) throws Exception {
    create(
        bootstrap, new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
  }

  private static void create(String bootstrap, NewTopic topic) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      TopicReadiness.await(admin, List.of(topic.name()), Duration.ofSeconds(30));
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
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      for (Object value : values) {
        sends.add(producer.send(new ProducerRecord<>(topic, keyOf.key(value), value)));
      }
      producer.flush();
    }
    for (Future<RecordMetadata> send : sends) {
      send.get(); // a record the broker did not take fails the test here, with its cause
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
