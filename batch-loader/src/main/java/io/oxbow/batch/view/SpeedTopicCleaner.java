package io.oxbow.batch.view;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.runtime.kafka.TopicTail;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the speed topics ({@code views.speed.<view>}, compacted) from growing: once the batch
 * loader has published a view's watermark W, writes a tombstone for every key of a window ending at
 * or before {@code W - margin}, so compaction removes those windows (and the tombstones after the
 * topic's {@code delete.retention.ms}). The batch view holds every such window: W is read from the
 * manifest already published, every window ending at or before W is final there, and the serving
 * API reads from the speed view only windows starting at or after W floored to the window. The
 * margin (default 2h) is room for a watermark moved back by a recomputation and for the stream
 * processor's grace: a window updated after its tombstone is seen here and removed again at the
 * next {@link #clean}.
 *
 * <p>Follows the speed topics with a {@link TopicTail} from the beginning, keeping only the raw key
 * bytes of the windows not removed yet, by window end; a tombstone read back drops its key. Called
 * by the compacting instance only (one writer); the tombstones are plain idempotent writes ({@code
 * acks=all}) of the same key bytes the stream processor wrote.
 */
public final class SpeedTopicCleaner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpeedTopicCleaner.class);

  private final Map<String, String> viewByTopic = new HashMap<>();
  private final Map<String, String> topicByView = new HashMap<>();
  private final Map<String, AggregateCodec> codecs = new HashMap<>();
  // view -> window end -> raw keys; guarded by this
  private final Map<String, NavigableMap<Long, Set<ByteBuffer>>> keys = new HashMap<>();
  private final AvroDeserializer keyDecoder = new AvroDeserializer();
  private final KafkaProducer<byte[], byte[]> producer;
  private final TopicTail tail;
  private final long marginMillis;
  private final Duration timeout;
  private final AtomicLong tombstones = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();

  /**
   * A cleaner of the speed topics of {@code catalog}'s views.
   *
   * @param topicPrefix prefix of the speed topics ({@code views.speed.})
   * @param kafkaClient bootstrap servers and security of the consumer and producer
   * @param schemaRegistryUrl the registry the keys' schemas are in
   * @param margin how long before the watermark a window must end to be removed
   * @param timeout most time to wait for the tombstones of one call to be acknowledged
   */
  public SpeedTopicCleaner(
      ViewCatalog catalog,
      String topicPrefix,
      Map<String, Object> kafkaClient,
      String schemaRegistryUrl,
      Duration margin,
      Duration timeout) {
    for (ViewFolder folder : catalog.folders()) {
      viewByTopic.put(topicPrefix + folder.name(), folder.name());
      topicByView.put(folder.name(), topicPrefix + folder.name());
      codecs.put(folder.name(), folder.codec());
      keys.put(folder.name(), new TreeMap<>());
    }
    this.marginMillis = margin.toMillis();
    this.timeout = timeout;
    keyDecoder.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), true);
    Map<String, Object> producerProps = new HashMap<>(kafkaClient);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    this.tail =
        TopicTail.builder("speed-topic-cleaner", kafkaClient)
            .topics(viewByTopic.keySet())
            .handler(this::index)
            .build();
  }

  /** Starts following the speed topics. */
  public SpeedTopicCleaner start() {
    tail.start();
    return this;
  }

  /**
   * Publishes {@code oxbow_batch_speed_tombstones_total} and {@code
   * oxbow_batch_speed_undecodable_total} (keys left in place) on {@code meters}.
   */
  public void bindMetrics(MeterRegistry meters) {
    FunctionCounter.builder("oxbow.batch.speed.tombstones", tombstones, AtomicLong::get)
        .description("Tombstones written to the speed topics for windows the batch views hold")
        .register(meters);
    FunctionCounter.builder("oxbow.batch.speed.undecodable", undecodable, AtomicLong::get)
        .description("Speed topic keys the cleaner could not decode and left in place")
        .register(meters);
  }

  /** Tombstones written since start. */
  public long tombstones() {
    return tombstones.get();
  }

  /** Speed topic keys seen (not removed yet), for tests and status. */
  public synchronized int keysHeld() {
    return keys.values().stream()
        .mapToInt(byEnd -> byEnd.values().stream().mapToInt(Set::size).sum())
        .sum();
  }

  /**
   * Writes a tombstone for every key of {@code view} seen so far whose window ends at or before
   * {@code watermark - margin}, and waits for them to be acknowledged.
   *
   * @param watermark the view's published batch watermark, UTC epoch millis
   * @return the tombstones written
   * @throws IllegalStateException when Kafka does not acknowledge them within the timeout (the keys
   *     are kept and written again at the next call)
   */
  public int clean(String view, long watermark) {
    String topic = topicByView.get(view);
    if (topic == null) {
      return 0;
    }
    List<ByteBuffer> due = new ArrayList<>();
    synchronized (this) {
      keys.get(view).headMap(watermark - marginMillis, true).values().forEach(due::addAll);
    }
    if (due.isEmpty()) {
      return 0;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>(due.size());
    for (ByteBuffer key : due) {
      sent.add(producer.send(new ProducerRecord<>(topic, bytes(key), null)));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Future<RecordMetadata> f : sent) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("tombstones for " + topic + " not acknowledged: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing tombstones to " + topic, e);
    }
    synchronized (this) {
      NavigableMap<Long, Set<ByteBuffer>> byEnd = keys.get(view);
      byEnd.headMap(watermark - marginMillis, true).values().forEach(set -> set.removeAll(due));
      byEnd.values().removeIf(Set::isEmpty);
    }
    tombstones.addAndGet(due.size());
    log.info(
        "{}: {} tombstones for windows ending at or before {} (watermark {} minus {} ms)",
        topic,
        due.size(),
        watermark - marginMillis,
        watermark,
        marginMillis);
    return due.size();
  }

  private void index(ConsumerRecord<byte[], byte[]> record) {
    String view = viewByTopic.get(record.topic());
    if (record.key() == null) {
      return;
    }
    GroupKey key;
    try {
      Object decoded = keyDecoder.deserialize(record.topic(), record.headers(), record.key());
      key = codecs.get(view).keyOf((GenericRecord) decoded);
    } catch (RuntimeException e) {
      // never removed here: only keys known to lie below the watermark are
      undecodable.incrementAndGet();
      log.warn(
          "speed key {}-{}@{} not decodable, left in place: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    ByteBuffer raw = ByteBuffer.wrap(record.key());
    synchronized (this) {
      NavigableMap<Long, Set<ByteBuffer>> byEnd = keys.get(view);
      if (record.value() == null) {
        Set<ByteBuffer> window = byEnd.get(key.windowEnd());
        if (window != null && window.remove(raw) && window.isEmpty()) {
          byEnd.remove(key.windowEnd());
        }
      } else {
        byEnd.computeIfAbsent(key.windowEnd(), w -> new HashSet<>()).add(raw);
      }
    }
  }

  private static byte[] bytes(ByteBuffer key) {
    byte[] out = new byte[key.remaining()];
    key.duplicate().get(out);
    return out;
  }

  @Override
  public void close() {
    tail.close();
    producer.close(Duration.ofSeconds(2));
  }
}
