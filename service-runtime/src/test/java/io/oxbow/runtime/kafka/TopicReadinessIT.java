package io.oxbow.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TopicReadiness} against a real broker: once it returns, an idempotent producer with many
 * small requests in flight writes every record to the just created topics; a topic that does not
 * exist ends the wait at its timeout with an error naming it.
 */
@ExtendWith(KafkaBackendExtension.class)
class TopicReadinessIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void shouldReturnOnceEveryPartitionOfTheCreatedTopicsTakesWrites(KafkaBackend kafka)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      for (int round = 0; round < 10; round++) {
        List<String> topics =
            List.of("ready-a-" + UUID.randomUUID(), "ready-b-" + UUID.randomUUID());
        admin
            .createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
            .all()
            .get();

        TopicReadiness.await(admin, topics, TIMEOUT);

        // each partition's leader answers for it, and a burst of small batches all land
        for (String topic : topics) {
          for (int p = 0; p < 3; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get())
                .satisfies(info -> assertThat(info.offset()).isZero());
          }
        }
        assertThat(writeBurst(kafka, topics)).as("records written to %s", topics).isEqualTo(600);
      }
    }
  }

  @Test
  void shouldReturnAtOnceForNoTopics(KafkaBackend kafka) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      long start = System.nanoTime();
      TopicReadiness.await(admin, List.of(), TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void shouldNameTheTopicsStillUnknownAtTheTimeout(KafkaBackend kafka) throws Exception {
    String missing = "never-created-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThatThrownBy(() -> TopicReadiness.await(admin, List.of(missing), Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(missing)
          .hasMessageContaining("PT1S");
      assertThat(admin.listTopics().names().get()).doesNotContain(missing);
    }
  }

  /** Writes 300 records to each topic in batches of a few records, 5 requests in flight. */
  private static int writeBurst(KafkaBackend kafka, List<String> topics) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 9_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 300; i++) {
        for (String topic : topics) {
          sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
        }
      }
      producer.flush();
    }
    int written = 0;
    for (Future<RecordMetadata> send : sends) {
      send.get();
      written++;
    }
    return written;
  }
}
