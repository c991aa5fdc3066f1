package io.oxbow.stream.geoip;

import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.kafka.TopicReplication;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads geo-IP range files into the compacted {@code ref.geoip} topic in one transaction: every
 * range of the files is written under its 16-byte start, then every range of earlier loads whose
 * start the new files do not have is tombstoned, so a running stream processor switches from the
 * old set to the new one at once (its global store reads committed records only) and never needs a
 * restart. The topic is created (compacted, one partition, the deployment's replication: {@link
 * TopicReplication}) when missing.
 *
 * <p>Throughput comes from a batching producer: 512 KiB batches, 20 ms linger, lz4.
 */
public final class GeoIpLoader {
  private static final Logger log = LoggerFactory.getLogger(GeoIpLoader.class);

  /**
   * What a load did.
   *
   * @param loadId the id written into every range
   * @param ranges ranges written
   * @param tombstoned ranges of earlier loads removed
   * @param skipped blocks without a country (GeoLite2)
   * @param elapsed wall time of the whole load
   */
  public record Result(
      String loadId, long ranges, long tombstoned, long skipped, Duration elapsed) {
    /** Ranges written per second. */
    public double rangesPerSecond() {
      return ranges / Math.max(0.001, elapsed.toNanos() / 1e9);
    }
  }

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final KafkaClientSecurity security;
  private final String topic;
  private final Serializer<GeoIpRange> valueSerializer;
  private final ReplicationSettings replication;

  /**
   * A loader writing to {@code topic} over PLAINTEXT without authentication.
   *
   * @param valueSerializer the registry-backed Avro serializer of {@link GeoIpRange}
   */
  public GeoIpLoader(
      String bootstrapServers, String topic, Serializer<GeoIpRange> valueSerializer) {
    this(bootstrapServers, KafkaClientSecurity.none(), topic, valueSerializer);
  }

  /**
   * A loader writing to {@code topic}, its clients secured by {@code security}.
   *
   * @param valueSerializer the registry-backed Avro serializer of {@link GeoIpRange}
   */
  public GeoIpLoader(
      String bootstrapServers,
      KafkaClientSecurity security,
      String topic,
      Serializer<GeoIpRange> valueSerializer) {
    this(bootstrapServers, security, topic, valueSerializer, ReplicationSettings.AUTOMATIC);
  }

  private GeoIpLoader(
      String bootstrapServers,
      KafkaClientSecurity security,
      String topic,
      Serializer<GeoIpRange> valueSerializer,
      ReplicationSettings replication) {
    this.bootstrapServers = bootstrapServers;
    this.security = security;
    this.topic = topic;
    this.valueSerializer = valueSerializer;
    this.replication = replication;
  }

  /**
   * This loader creating a missing topic with {@code replication} (default: {@link
   * ReplicationSettings#AUTOMATIC}, from the cluster's size).
   */
  public GeoIpLoader withReplication(ReplicationSettings replication) {
    return new GeoIpLoader(bootstrapServers, security, topic, valueSerializer, replication);
  }

  /**
   * Loads {@code files} (see {@link GeoIpCsv} for the shapes).
   *
   * @throws IllegalArgumentException naming file, line and field for a bad line (nothing is
   *     committed then)
   */
  public Result load(List<Path> files) throws IOException {
    long start = System.nanoTime();
    ensureTopic();
    Set<Bytes> previous = existingKeys();
    String loadId = UUID.randomUUID().toString();
    Set<Bytes> written = new HashSet<>(Math.max(16, previous.size() * 2));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.initTransactions();
      producer.beginTransaction();
      GeoIpCsv.Stats stats;
      try {
        stats =
            GeoIpCsv.read(
                files,
                range -> {
                  written.add(Bytes.wrap(range.startBytes()));
                  producer.send(
                      new ProducerRecord<>(
                          topic,
                          range.startBytes(),
                          valueSerializer.serialize(topic, toAvro(range, loadId))));
                });
      } catch (IOException | RuntimeException e) {
        producer.abortTransaction();
        throw e;
      }
      long tombstones = 0;
      for (Bytes old : previous) {
        if (!written.contains(old)) {
          producer.send(new ProducerRecord<>(topic, old.get(), null));
          tombstones++;
        }
      }
      producer.commitTransaction();
      Result result =
          new Result(
              loadId,
              stats.ranges(),
              tombstones,
              stats.skippedWithoutCountry(),
              Duration.ofNanos(System.nanoTime() - start));
      log.info(
          "loaded {} geo-IP ranges into {} ({} older ones removed) in {} ms",
          result.ranges(),
          topic,
          tombstones,
          result.elapsed().toMillis());
      return result;
    }
  }

  private static GeoIpRange toAvro(GeoIpCsv.Range range, String loadId) {
    return GeoIpRange.newBuilder()
        .setStart(range.start())
        .setEnd(range.end())
        .setEndBytes(ByteBuffer.wrap(range.endBytes()))
        .setCountry(range.country())
        .setLoadId(loadId)
        .build();
  }

  private void ensureTopic() {
    try (Admin admin =
        Admin.create(
            security.applyTo(
                new HashMap<>(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))))) {
      NewTopic t =
          new NewTopic(topic, 1, (short) -1)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      TopicReplication.discover(admin, replication, ADMIN_TIMEOUT)
          .createMissing(admin, List.of(t), ADMIN_TIMEOUT);
    }
  }

  /** The keys currently live in the topic (read_committed, to its end). */
  private Set<Bytes> existingKeys() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    security.applyTo(config);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    Set<Bytes> keys = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() == null) {
            continue;
          }
          if (r.value() == null) {
            keys.remove(Bytes.wrap(r.key()));
          } else {
            keys.add(Bytes.wrap(r.key()));
          }
        }
      }
    }
    return keys;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    security.applyTo(config);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "oxbow-geoip-loader-" + topic);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
