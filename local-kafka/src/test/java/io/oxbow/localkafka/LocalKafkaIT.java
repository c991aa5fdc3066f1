package io.oxbow.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBackendExtension.class)
class LocalKafkaIT {

  @Test
  void idempotentProducerWithAcksAllWritesAndConsumerReadsBack(KafkaBackend kafka)
      throws Exception {
    String topic = unique("idempotent");
    try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
      for (int i = 0; i < 100; i++) {
        RecordMetadata md =
            producer.send(new ProducerRecord<>(topic, "k" + (i % 7), "v" + i)).get();
        assertThat(md.hasOffset()).isTrue();
      }
    }
    List<ConsumerRecord<String, String>> read = readAll(kafka, topic, "read_uncommitted", 100);
    assertThat(read).extracting(ConsumerRecord::value).hasSize(100).contains("v0", "v99");
  }

  @Test
  void abortedTransactionIsInvisibleToReadCommitted(KafkaBackend kafka) throws Exception {
    String topic = unique("tx");
    Map<String, Object> tx = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx-id"));
    try (KafkaProducer<String, String> producer = producer(kafka, tx)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "aborted-1"));
      producer.send(new ProducerRecord<>(topic, "a", "aborted-2"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "committed"));
      producer.commitTransaction();
    }
    assertThat(readAll(kafka, topic, "read_committed", 1))
        .extracting(ConsumerRecord::value)
        .containsExactly("committed");
    assertThat(readAll(kafka, topic, "read_uncommitted", 3))
        .extracting(ConsumerRecord::value)
        .contains("aborted-1", "aborted-2", "committed");
  }

  @Test
  void exactlyOnceStreamsAppProducesOutput(KafkaBackend kafka, @TempDir Path stateDir)
      throws Exception {
    String in = unique("streams-in");
    String out = unique("streams-out");
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()).withName("read-input"))
        .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT), Named.as("upper-case"))
        .to(out, Produced.with(Serdes.String(), Serdes.String()).withName("write-output"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, unique("eos-app"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
      producer.send(new ProducerRecord<>(in, "k", "hello")).get();
      producer.send(new ProducerRecord<>(in, "k", "kafka")).get();
    }
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      assertThat(readAll(kafka, out, "read_committed", 2))
          .extracting(ConsumerRecord::value)
          .containsExactly("HELLO", "KAFKA");
    }
  }

  @Test
  void persistentDataDirSurvivesRestart(@TempDir Path dir) throws Exception {
    String topic = unique("persist");
    try (LocalKafka first = LocalKafka.builder().dataDir(dir).build().start()) {
      KafkaBackend backend = backendOf(first);
      try (KafkaProducer<String, String> producer = producer(backend, Map.of())) {
        producer.send(new ProducerRecord<>(topic, "k", "kept")).get();
      }
    }
    assertThat(Files.exists(dir.resolve("kraft-combined-logs/meta.properties"))).isTrue();
    try (LocalKafka second = LocalKafka.builder().dataDir(dir).build().start()) {
      assertThat(readAll(backendOf(second), topic, "read_committed", 1))
          .extracting(ConsumerRecord::value)
          .containsExactly("kept");
    }
    assertThat(dir).exists();
  }

  private static KafkaBackend backendOf(LocalKafka kafka) {
    return new KafkaBackend() {
      @Override
      public String bootstrapServers() {
        return kafka.bootstrapServers();
      }

      @Override
      public String name() {
        return "local";
      }
    };
  }

  private static KafkaProducer<String, String> producer(
      KafkaBackend kafka, Map<String, Object> extra) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putAll(extra);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static List<ConsumerRecord<String, String>> readAll(
      KafkaBackend kafka, String topic, String isolation, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, unique("reader"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
              });
      // one more poll: nothing beyond what is expected may show up
      consumer.poll(Duration.ofMillis(300)).forEach(records::add);
    }
    return records;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }
}
