package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oxbow broker} as a real process: any Kafka client can use the printed address. */
class BrokerCommandIT {

  @Test
  void brokerPrintsItsAddressServesClientsAndStopsOnSigterm(@TempDir Path dataDir)
      throws Exception {
    try (OxbowProcess broker =
        OxbowProcess.start("broker", "--port", "0", "--data-dir", dataDir.toString())) {
      String bootstrap = broker.awaitLine("kafka: ", Duration.ofSeconds(60));
      assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");

      String topic = "cli-broker-" + UUID.randomUUID();
      Map<String, Object> producerProps =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ProducerConfig.ACKS_CONFIG,
              "all");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, "k", "hello from a client")).get();
      }
      Map<String, Object> consumerProps =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
              ConsumerConfig.GROUP_ID_CONFIG, "cli-broker-it",
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      List<String> values = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(topic));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                  return !values.isEmpty();
                });
      }
      assertThat(values).containsExactly("hello from a client");

      long begin = System.nanoTime();
      broker.terminate(Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
      assertThat(dataDir.resolve("kraft-combined-logs/meta.properties")).exists();
    }
  }
}
