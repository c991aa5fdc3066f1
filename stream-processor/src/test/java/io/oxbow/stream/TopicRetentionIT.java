package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.views.ViewCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topics the stream processor creates carry the configured time retention, not {@code -1}; the
 * topics whose records carry event times are stamped by the broker on append, so a replay of
 * years-old logs is judged by when it was written, and kept until it is landed.
 */
@ExtendWith(KafkaBackendExtension.class)
class TopicRetentionIT {
  private static final long RETENTION_MS = Duration.ofHours(36).toMillis();

  @Test
  void shouldCreateTopicsWithTheConfiguredRetentionCountingFromWhenRecordsWereWritten(
      KafkaBackend kafka) throws Exception {
    String prefix = "retention-" + UUID.randomUUID() + ".";
    StreamConfig config =
        StreamConfig.from(
            ConfigSource.ofFlags(
                Map.of(
                    "stream.bootstrap-servers",
                    kafka.bootstrapServers(),
                    "stream.schema-registry-url",
                    "mock://retention",
                    "stream.topic-prefix",
                    prefix,
                    "oxbow.topic-retention",
                    "36h")));
    StreamConfig.Topics t = config.topics();

    TopicSetup.ensure(config, ViewCatalog.defaults(), 1);

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      List<String> topics = List.of(t.raw(), t.orders(), t.enriched(), t.attributed(), t.dlq());
      Map<String, Config> configs =
          admin
              .describeConfigs(
                  topics.stream()
                      .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                      .toList())
              .all()
              .get()
              .entrySet()
              .stream()
              .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
      for (String topic : topics) {
        assertThat(configs.get(topic).get("retention.ms").value())
            .as(topic)
            .isEqualTo(String.valueOf(RETENTION_MS));
      }
      Function<String, String> type =
          topic -> configs.get(topic).get("message.timestamp.type").value();
      assertThat(type.apply(t.raw())).isEqualTo("CreateTime");
      assertThat(type.apply(t.orders())).isEqualTo("CreateTime");
      assertThat(type.apply(t.enriched())).isEqualTo("LogAppendTime");
      assertThat(type.apply(t.attributed())).isEqualTo("LogAppendTime");
      assertThat(type.apply(t.dlq())).isEqualTo("LogAppendTime");
    }

    // a replay of 2015 logs written as the stream processor writes them: event time as timestamp
    long replayed = Instant.parse("2015-05-17T10:05:03Z").toEpochMilli();
    long before = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(t.enriched(), 0, replayed + i, null, new byte[] {1}));
      }
      producer.flush();
    }
    List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(t.enriched(), 0)));
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read.size() < 10 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(read::add);
      }
    }
    // time retention compares these timestamps with the clock: the replay has 36 h from now, not
    // an age of eleven years that the next retention check would delete at once
    assertThat(read).hasSize(10);
    assertThat(read)
        .allSatisfy(
            r -> {
              assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
              assertThat(r.timestamp()).isGreaterThanOrEqualTo(before);
            });
  }
}
