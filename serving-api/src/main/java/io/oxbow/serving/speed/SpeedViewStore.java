package io.oxbow.serving.speed;

import io.oxbow.serving.query.ViewLayer;
import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed view held in memory: reads every topic {@code <prefix><view>} (default {@code
 * views.speed.<view>}, compacted changelogs of window aggregates, key {@code ViewKey}, value {@code
 * ViewAggregate}) from the beginning on start and keeps the latest aggregate of each group; a
 * tombstone removes the group. Nothing is kept on disk: a restart rebuilds the same state from the
 * topics. Uses no consumer group (every instance reads every partition itself).
 *
 * <p>A record that does not decode or does not match its view's definition is skipped, logged at
 * WARN and counted ({@link #rejected()}). {@link #caughtUp()} turns true once every partition that
 * existed at start has been read to its end offset of that moment; topics created later are picked
 * up within the refresh interval (2 s). {@link #version} numbers the changes of each window, so
 * queries can reuse what they rolled up from windows that have not changed since.
 */
public final class SpeedViewStore implements ViewLayer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpeedViewStore.class);

  private final Map<String, ViewStore> views = new HashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final TopicTailer tailer;

  /**
   * A store for every view of {@code catalog}.
   *
   * @param catalog the views
   * @param topicPrefix prefix of the speed topics ({@code views.speed.})
   * @param consumerProps consumer settings (at least bootstrap servers)
   * @param keys decodes keys into {@code ViewKey} records (e.g. the registry's Avro deserializer)
   * @param values decodes values into {@code ViewAggregate} records
   */
  public SpeedViewStore(
      ViewCatalog catalog,
      String topicPrefix,
      Properties consumerProps,
      Deserializer<Object> keys,
      Deserializer<Object> values) {
    Map<String, ViewStore> byTopic = new HashMap<>();
    for (ViewFolder folder : catalog.folders()) {
      ViewStore store = new ViewStore(folder, changes);
      views.put(folder.name(), store);
      byTopic.put(topicPrefix + folder.name(), store);
    }
    Supplier<KafkaConsumer<byte[], byte[]>> consumers =
        () -> {
          Properties props = new Properties();
          props.putAll(consumerProps);
          props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
          props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
          props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
          props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
          return new KafkaConsumer<>(
              props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        };
    this.tailer =
        new TopicTailer(
            "speed-view-store",
            byTopic.keySet(),
            consumers,
            r -> apply(byTopic.get(r.topic()), r, keys, values));
  }

  /** Starts reading in a background thread. */
  public SpeedViewStore start() {
    tailer.start();
    return this;
  }

  /** True once the topics have been read up to their end offsets at start. */
  public boolean caughtUp() {
    return tailer.caughtUp();
  }

  /**
   * Returns normally while the speed view topics are being read.
   *
   * @throws IllegalStateException when the reader failed and has not recovered yet, or stopped
   */
  public void checkRunning() {
    tailer.checkRunning();
  }

  /** Records skipped because they did not decode or match their view. */
  public long rejected() {
    return rejected.get();
  }

  /** Groups currently held for {@code view}. */
  public int size(String view) {
    return views.get(view).size();
  }

  /** The latest window end held for {@code view}, UTC epoch millis; empty when none. */
  public OptionalLong newestWindowEnd(String view) {
    return views.get(view).newestWindowEnd();
  }

  @Override
  public Map<GroupKey, Aggregate> read(ViewFolder view, long fromMillis, long toMillis) {
    ViewStore store = views.get(view.name());
    return store == null ? Map.of() : store.read(fromMillis, toMillis);
  }

  /**
   * The newest change of the range: every group put or removed takes the next number of a counter
   * shared by the views, recorded for its window (after the group is stored), and a range's version
   * is the largest number recorded for its windows (0 for none).
   */
  @Override
  public Optional<Object> version(String view, long fromMillis, long toMillis) {
    ViewStore store = views.get(view);
    return store == null ? Optional.empty() : Optional.of(store.lastChange(fromMillis, toMillis));
  }

  private void apply(
      ViewStore store,
      ConsumerRecord<byte[], byte[]> record,
      Deserializer<Object> keys,
      Deserializer<Object> values) {
    try {
      if (record.value() == null) {
        Object key = keys.deserialize(record.topic(), record.headers(), record.key());
        store.remove(store.codec.keyOf((GenericRecord) key));
      } else {
        Object value = values.deserialize(record.topic(), record.headers(), record.value());
        GenericRecord row = (GenericRecord) value;
        store.put(store.codec.keyOf(row), store.codec.fromAvro(row));
      }
    } catch (RuntimeException e) {
      rejected.incrementAndGet();
      log.warn(
          "Skipped speed view record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
    }
  }

  @Override
  public void close() {
    tailer.close();
  }

  /** One view's groups by window start. */
  private static final class ViewStore {
    private final AggregateCodec codec;
    private final AtomicLong sequence;
    private final NavigableMap<Long, Map<GroupKey, Aggregate>> windows =
        new ConcurrentSkipListMap<>();
    private final NavigableMap<Long, Long> changed = new ConcurrentSkipListMap<>();

    ViewStore(ViewFolder folder, AtomicLong sequence) {
      this.codec = folder.codec();
      this.sequence = sequence;
    }

    void put(GroupKey key, Aggregate aggregate) {
      windows
          .computeIfAbsent(key.windowStart(), w -> new ConcurrentHashMap<>())
          .put(key, aggregate);
      changed.put(key.windowStart(), sequence.incrementAndGet());
    }

    void remove(GroupKey key) {
      Map<GroupKey, Aggregate> window = windows.get(key.windowStart());
      if (window != null) {
        window.remove(key);
      }
      changed.put(key.windowStart(), sequence.incrementAndGet());
    }

    long lastChange(long from, long to) {
      long last = 0;
      if (from < to) {
        for (long change : changed.subMap(from, true, to, false).values()) {
          last = Math.max(last, change);
        }
      }
      return last;
    }

    Map<GroupKey, Aggregate> read(long from, long to) {
      Map<GroupKey, Aggregate> out = new HashMap<>();
      if (from < to) {
        windows.subMap(from, true, to, false).values().forEach(out::putAll);
      }
      return out;
    }

    int size() {
      return windows.values().stream().mapToInt(Map::size).sum();
    }

    OptionalLong newestWindowEnd() {
      for (Map<GroupKey, Aggregate> window : windows.descendingMap().values()) {
        for (GroupKey key : window.keySet()) {
          return OptionalLong.of(key.windowEnd());
        }
      }
      return OptionalLong.empty();
    }
  }
}
