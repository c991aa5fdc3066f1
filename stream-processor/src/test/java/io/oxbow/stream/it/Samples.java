package io.oxbow.stream.it;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.stream.enrich.InternalTraffic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real sample access logs as raw lines, and what a direct computation expects of them. */
final class Samples {
  static final List<String> FILES =
      List.of(
          "elastic_apache_logs.log",
          "crowdsec_apache2_malformed_requests.log",
          "crowdsec_nginx_malformed_requests.log");

  private Samples() {}

  /** Every line of every sample file, as the ingest app would write it (key: the file name). */
  static List<RawLogLine> rawLines() throws IOException {
    List<RawLogLine> out = new ArrayList<>();
    Path dir = Path.of(System.getProperty("oxbow.root"), "samples", "access-logs");
    Instant received = Instant.now();
    for (String file : FILES) {
      byte[] all = Files.readAllBytes(dir.resolve(file));
      int start = 0;
      int seq = 0;
      for (int i = 0; i <= all.length; i++) {
        if (i == all.length || all[i] == '\n') {
          if (i > start || i < all.length) {
            out.add(
                RawLogLine.newBuilder()
                    .setLine(ByteBuffer.wrap(Arrays.copyOfRange(all, start, i)))
                    .setSource(file)
                    .setReceivedTime(received)
                    .setIngestId("it")
                    .setSequence(seq++)
                    .build());
          }
          start = i + 1;
        }
      }
    }
    return out;
  }

  /** The events the topology must write for {@code lines}, without enrichment fields. */
  static List<AccessLogEvent> expectedEvents(List<RawLogLine> lines) {
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
    InternalTraffic internal = new InternalTraffic(List.of());
    List<AccessLogEvent> out = new ArrayList<>();
    for (RawLogLine line : lines) {
      ParseResult r = parser.parse(bytes(line.getLine()), line.getSource());
      if (r instanceof ParseResult.Parsed p
          && internal.classify(p.event().getClient()).isEmpty()
          && p.event().getStatus() >= 100
          && p.event().getStatus() <= 599) {
        out.add(p.event());
      }
    }
    return out;
  }

  /** {@code event} without the fields the stream processor adds. */
  static AccessLogEvent unenriched(AccessLogEvent event) {
    return AccessLogEvent.newBuilder(event)
        .setCountry(null)
        .setUaBrowser(null)
        .setUaOs(null)
        .setUaDevice(null)
        .setIsBot(false)
        .build();
  }

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  static void produce(String bootstrap, String registryUrl, String topic, List<RawLogLine> lines) {
    try (AvroSerde<RawLogLine> serde =
            AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false);
        KafkaProducer<String, RawLogLine> producer =
            new KafkaProducer<>(
                producerConfig(bootstrap), new StringSerializer(), serde.serializer())) {
      for (RawLogLine line : lines) {
        producer.send(new ProducerRecord<>(topic, line.getSource(), line));
      }
      producer.flush();
    }
  }

  static void produceBytes(String bootstrap, String topic, byte[] key, byte[] value) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerConfig(bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value));
      producer.flush();
    }
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    return config;
  }

  /** Every committed record of {@code topic} up to its current end. */
  static <V> List<ConsumerRecord<byte[], V>> readAll(
      String bootstrap, String topic, Deserializer<V> values) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], V>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], V> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), values)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** Counts of {@code items} by {@code key}. */
  static <T, K> Map<K, Long> countBy(List<T> items, Function<T, K> key) {
    Map<K, Long> out = new HashMap<>();
    for (T item : items) {
      out.merge(key.apply(item), 1L, Long::sum);
    }
    return out;
  }
}
