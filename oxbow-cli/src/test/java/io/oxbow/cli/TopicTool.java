package io.oxbow.cli;

import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.runtime.kafka.TopicReadiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a test needs to see in Kafka: topics created, read to their end with read_committed (as the
 * pipeline's own consumers read), copied, and whether a consumer group has consumed a topic.
 */
final class TopicTool implements AutoCloseable {
  private final String bootstrap;
  private final String registryUrl;
  private final Admin admin;

  TopicTool(String bootstrap, String registryUrl) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /**
   * Creates {@code topic} with {@code partitions} and {@code configs} unless it exists, and waits
   * until it takes writes.
   */
  void create(String topic, int partitions, Map<String, String> configs) throws Exception {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    TopicReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
  }

  /** Every committed record of {@code topic}, partition by partition, in offset order. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  /** The committed values of {@code topic} decoded with the registry as specific records. */
  <T> List<T> values(String topic, Class<T> type) {
    AvroDeserializer avro = avro();
    return readAll(topic).stream().map(r -> type.cast(avro.deserialize(topic, r.value()))).toList();
  }

  /** The latest committed value per key of a compacted {@code topic}, both decoded. */
  Map<Object, Object> latestByKey(String topic) {
    AvroDeserializer avro = avro();
    Map<Object, Object> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
      latest.put(avro.deserialize(topic, r.key()), avro.deserialize(topic, r.value()));
    }
    return latest;
  }

  /** Copies the committed records of {@code from} into the same partitions of {@code to}. */
  void copy(String from, String to) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> r : readAll(from)) {
        producer.send(
            new ProducerRecord<>(
                to, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
      }
      producer.flush();
    }
  }

  /**
   * True when {@code group} has consumed every record of {@code topics}: its committed offset of
   * each partition is at the end, or one before it (the topic is written in transactions, so the
   * last offset is a commit marker, which a consumer may or may not have committed past).
   */
  boolean consumed(String group, Collection<String> topics) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : topics) {
      admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, Long> end =
        admin.listOffsets(latest).all().get().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    return end.entrySet().stream()
        .allMatch(
            e -> {
              OffsetAndMetadata c = committed.get(e.getKey());
              return e.getValue() == 0 || c != null && c.offset() >= e.getValue() - 1;
            });
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private AvroDeserializer avro() {
    AvroDeserializer avro = new AvroDeserializer();
    avro.configure(
        Map.of("schema.registry.url", registryUrl, "specific.avro.reader", "true"), false);
    return avro;
  }

  @Override
  public void close() {
    admin.close();
  }
}
