package io.oxbow.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBackendExtension.class)
class TopicTailIT {
  @Test
  void shouldReportAFailedReaderAndGoOnFromTheNextRecordAfterARestart(KafkaBackend kafka)
      throws Exception {
    String topic = topic(kafka);
    send(kafka, topic, 0, "a", "boom", "b");
    List<String> handled = new CopyOnWriteArrayList<>();
    AtomicBoolean failOnce = new AtomicBoolean(true);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TopicTail tail =
        tail(
                kafka,
                topic,
                StartPosition.beginning(),
                record -> {
                  String value = value(record);
                  if (value.equals("boom") && failOnce.getAndSet(false)) {
                    throw new IllegalStateException("a bug in the handler");
                  }
                  handled.add(value);
                })
            .build()) {
      tail.bindMetrics(meters);
      tail.start();
      // the failure is seen by readiness until the restarted reader polls again
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(tail.restarts()).isEqualTo(1));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(handled).containsExactly("a", "boom", "b"));
      assertThat(tail.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      tail.checkRunning();

      send(kafka, topic, 0, "c");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(handled).containsExactly("a", "boom", "b", "c"));
      assertThat(tail.position(new TopicPartition(topic, 0))).isEqualTo(4);
      assertThat(
              meters.get("oxbow.tail.records").tag("tail", "test-tail").functionCounter().count())
          .isEqualTo(4);
      assertThat(meters.get("oxbow.tail.restarts").functionCounter().count()).isEqualTo(1);
      assertThat(meters.get("oxbow.tail.caught.up").gauge().value()).isEqualTo(1);
    }
  }

  @Test
  void shouldFailItsCheckWhileTheReaderKeepsFailing(KafkaBackend kafka) throws Exception {
    String topic = topic(kafka);
    send(kafka, topic, 0, "poison");
    try (TopicTail tail =
        tail(
                kafka,
                topic,
                StartPosition.beginning(),
                record -> {
                  throw new IllegalStateException("cannot handle " + record.offset());
                })
            .build()
            .start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(tail.restarts()).isGreaterThanOrEqualTo(2));
      assertThatThrownBy(tail::checkRunning)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot handle 0");
      assertThat(tail.caughtUp()).isFalse();
    }
  }

  @Test
  void shouldStartAtATimeAndCatchUpWithTheEndSeenAtStart(KafkaBackend kafka) throws Exception {
    String topic = topic(kafka);
    send(kafka, topic, 1_000, "old-1", "old-2");
    send(kafka, topic, 5_000, "new-1", "new-2");
    List<String> handled = new CopyOnWriteArrayList<>();
    try (TopicTail tail =
        tail(
                kafka,
                topic,
                StartPosition.timestamp(tp -> OptionalLong.of(5_000)),
                r -> handled.add(value(r)))
            .build()
            .start()) {
      assertThat(tail.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      assertThat(handled).containsExactly("new-1", "new-2");

      // later records are followed, and a caller can wait for an offset it knows of
      send(kafka, topic, 2_000, "late");
      assertThat(
              tail.awaitPositions(Map.of(new TopicPartition(topic, 0), 5L), Duration.ofSeconds(30)))
          .isTrue();
      assertThat(handled).containsExactly("new-1", "new-2", "late");
    }
  }

  @Test
  void shouldStartAtAGroupsCommittedOffsetWithoutCommittingItself(KafkaBackend kafka)
      throws Exception {
    String topic = topic(kafka);
    send(kafka, topic, 0, "done-1", "done-2", "todo-1");
    String group = "group-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(2)))
          .all()
          .get();
      List<String> handled = new CopyOnWriteArrayList<>();
      try (TopicTail tail =
          tail(kafka, topic, StartPosition.committed(group), r -> handled.add(value(r)))
              .build()
              .start()) {
        assertThat(tail.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(handled).containsExactly("todo-1");
      }
      assertThat(
              admin
                  .listConsumerGroupOffsets(group)
                  .partitionsToOffsetAndMetadata()
                  .get()
                  .get(partition)
                  .offset())
          .isEqualTo(2);
    }
  }

  @Test
  void shouldCountAMissingTopicAsReadAndPickItUpOnceCreated(KafkaBackend kafka) throws Exception {
    String topic = "tail-" + UUID.randomUUID();
    List<String> handled = new CopyOnWriteArrayList<>();
    try (TopicTail tail =
        tail(kafka, topic, StartPosition.beginning(), r -> handled.add(value(r))).build().start()) {
      assertThat(tail.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      send(kafka, topic, 0, "x");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(handled).containsExactly("x"));
    }
  }

  private static TopicTail.Builder tail(
      KafkaBackend kafka,
      String topic,
      StartPosition start,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    return TopicTail.builder("test-tail", Map.of("bootstrap.servers", kafka.bootstrapServers()))
        .topics(Set.of(topic))
        .start(start)
        .handler(handler);
  }

  private static String topic(KafkaBackend kafka) throws Exception {
    String topic = "tail-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    return topic;
  }

  private static String value(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.value(), StandardCharsets.UTF_8);
  }

  /** Sends {@code values} with the given timestamp (0: the producer's clock). */
  private static void send(KafkaBackend kafka, String topic, long timestamp, String... values) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(
            new ProducerRecord<>(topic, 0, timestamp == 0 ? null : timestamp, null, value));
      }
      producer.flush();
    }
  }
}
