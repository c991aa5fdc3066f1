package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.runtime.kafka.TopicReadiness;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBackendExtension.class)
class SpeedTopicCleanerIT {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void shouldTombstoneOnlyTheWindowsEndingBeforeTheWatermarkMinusTheMargin(KafkaBackend kafka)
      throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".views.speed.";
    String registry = "mock://" + prefix;
    String topic = prefix + "traffic";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      TopicReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
    }
    // two hours of minutes, two countries each: 240 groups, written twice (an update)
    List<AccessLogEvent> events = new ArrayList<>();
    for (int minute = 0; minute < 120; minute++) {
      events.add(hit(T0.plusSeconds(minute * 60L), "DE"));
      events.add(hit(T0.plusSeconds(minute * 60L + 1), "FR"));
    }
    Map<GroupKey, Aggregate> groups = TRAFFIC.fold(events);
    publish(kafka, registry, topic, groups);
    publish(kafka, registry, topic, groups);

    Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    try (SpeedTopicCleaner cleaner =
        new SpeedTopicCleaner(
                CATALOG, prefix, client, registry, Duration.ofMinutes(30), Duration.ofSeconds(30))
            .start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(cleaner.keysHeld()).isEqualTo(240));

      // watermark 11:30, margin 30m: the windows ending at or before 11:00 go
      int written = cleaner.clean("traffic", T0.plusSeconds(90 * 60).toEpochMilli());

      assertThat(written).isEqualTo(120);
      assertThat(cleaner.clean("traffic", T0.plusSeconds(90 * 60).toEpochMilli())).isZero();
      Map<GroupKey, Boolean> live = latest(kafka, registry, topic);
      assertThat(live).hasSize(240);
      live.forEach(
          (key, present) ->
              assertThat(present)
                  .as("%s", key)
                  .isEqualTo(key.windowEnd() > T0.plusSeconds(60 * 60).toEpochMilli()));
      // the tombstones read back leave the cleaner holding only the live keys
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(cleaner.keysHeld()).isEqualTo(120));
      assertThat(cleaner.tombstones()).isEqualTo(120);
    }
  }

  private static AccessLogEvent hit(Instant time, String country) {
    return AccessLogEvent.newBuilder()
        .setClient("c-" + country)
        .setClientKind(ClientKind.HOSTNAME)
        .setEventTime(time)
        .setRequest("GET / HTTP/1.1")
        .setMethod("GET")
        .setPath("/")
        .setStatus(200)
        .setBytes(300L)
        .setLineBytes(80)
        .setCountry(country)
        .setIsBot(false)
        .build();
  }

  private static void publish(
      KafkaBackend kafka, String registry, String topic, Map<GroupKey, Aggregate> groups) {
    Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
    AvroSerializer keys = new AvroSerializer();
    keys.configure(serde, true);
    AvroSerializer values = new AvroSerializer();
    values.configure(serde, false);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(props, keys, values)) {
      groups.forEach(
          (k, v) ->
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      null,
                      k.windowStart(),
                      TRAFFIC.codec().toAvroKey(k),
                      TRAFFIC.codec().toAvro(k, v))));
      producer.flush();
    }
  }

  /** Every key of the topic and whether its latest record is a value (false: a tombstone). */
  private static Map<GroupKey, Boolean> latest(KafkaBackend kafka, String registry, String topic) {
    AvroDeserializer keys = new AvroDeserializer();
    keys.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry), true);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Map<GroupKey, Boolean> latest = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          GroupKey key = TRAFFIC.codec().keyOf((GenericRecord) keys.deserialize(topic, r.key()));
          latest.put(key, r.value() != null);
        }
      }
    }
    return latest;
  }
}
