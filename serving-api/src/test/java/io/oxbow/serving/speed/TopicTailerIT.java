package io.oxbow.serving.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBackendExtension.class)
class TopicTailerIT {
  @Test
  void shouldReportAFailedReaderAndGoOnFromTheNextRecordAfterARestart(KafkaBackend kafka)
      throws Exception {
    String topic = "tailer-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    send(kafka, topic, "a", "boom", "b");
    List<String> handled = new CopyOnWriteArrayList<>();
    AtomicBoolean failOnce = new AtomicBoolean(true);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (TopicTailer tailer =
        new TopicTailer(
            "test-tailer",
            Set.of(topic),
            () ->
                new KafkaConsumer<>(
                    props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            record -> {
              String value = new String(record.value(), StandardCharsets.UTF_8);
              if (value.equals("boom") && failOnce.getAndSet(false)) {
                throw new IllegalStateException("a bug in the handler");
              }
              handled.add(value);
            })) {
      tailer.start();

      // the failure is seen by readiness until the restarted reader polls again
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(tailer.restarts()).isEqualTo(1));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(handled).containsExactly("a", "boom", "b"));
      await().atMost(Duration.ofSeconds(30)).until(tailer::caughtUp);
      tailer.checkRunning();

      send(kafka, topic, "c");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(handled).containsExactly("a", "boom", "b", "c"));
    }
  }

  @Test
  void shouldFailItsCheckWhileTheReaderKeepsFailing(KafkaBackend kafka) throws Exception {
    String topic = "tailer-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    send(kafka, topic, "poison");
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (TopicTailer tailer =
        new TopicTailer(
            "test-tailer",
            Set.of(topic),
            () ->
                new KafkaConsumer<>(
                    props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            record -> {
              throw new IllegalStateException("cannot handle " + record.offset());
            })) {
      tailer.start();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(tailer.restarts()).isGreaterThanOrEqualTo(2));
      assertThatThrownBy(tailer::checkRunning)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot handle 0");
    }
  }

  private static void send(KafkaBackend kafka, String topic, String... values) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value));
      }
      producer.flush();
    }
  }
}
