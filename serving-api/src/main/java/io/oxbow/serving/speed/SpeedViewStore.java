package io.oxbow.serving.speed;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.runtime.kafka.StartPosition;
import io.oxbow.runtime.kafka.TopicTail;
import io.oxbow.serving.query.ViewLayer;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed view held in memory: follows every topic {@code <prefix><view>} (default {@code
 * views.speed.<view>}, compacted changelogs of window aggregates, key {@code ViewKey}, value {@code
 * ViewAggregate}) with a {@link TopicTail} and keeps the latest aggregate of each group; a
 * tombstone removes the group. Nothing is kept on disk. Uses no consumer group (every instance
 * reads every partition itself).
 *
 * <p>Bounded by the batch watermark W of each view ({@code watermarks}, read from the batch
 * manifest): a window ending at or before {@code W - margin} is answered from the batch view only,
 * so it leaves memory once W passes it (checked every {@link #EVICT_EVERY}) and a record of it is
 * not stored. A start reads each topic from the first record stamped at or after {@code W - margin
 * - window} (a speed record's timestamp is the newest event time of its window, never before the
 * window's start), or from the beginning while a view has no watermark; so a restart reads the
 * recent tail, not the topic's history.
 *
 * <p>A record that does not decode or does not match its view's definition is skipped, logged at
 * WARN and counted ({@link #rejected()}). {@link #caughtUp()} turns true once every partition that
 * existed at start has been read to its end offset of that moment. {@link #version} numbers the
 * changes of each window, so queries can reuse what they rolled up from windows that have not
 * changed since.
 */
public final class SpeedViewStore implements ViewLayer, AutoCloseable {
  /** How often windows the batch watermark has passed are dropped from memory. */
  public static final Duration EVICT_EVERY = Duration.ofSeconds(5);

  /** The retention margin by default: windows ending within an hour before W are kept. */
  public static final Duration DEFAULT_MARGIN = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(SpeedViewStore.class);

  private final Map<String, SpeedWindows> views = new HashMap<>();
  private final Map<String, ViewFolder> folders = new HashMap<>();
  private final Function<String, OptionalLong> watermarks;
  private final long marginMillis;
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong covered = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final TopicTail tailer;

  /**
   * A store for every view of {@code catalog}, bounded by the batch watermarks.
   *
   * @param catalog the views
   * @param topicPrefix prefix of the speed topics ({@code views.speed.})
   * @param consumerProps consumer settings (at least bootstrap servers)
   * @param keys decodes keys into {@code ViewKey} records (e.g. the registry's Avro deserializer)
   * @param values decodes values into {@code ViewAggregate} records
   * @param watermarks the batch watermark of a view, UTC epoch millis (empty: none yet, keep all)
   * @param margin how long before the watermark windows are still kept ({@link #DEFAULT_MARGIN})
   */
  public SpeedViewStore(
      ViewCatalog catalog,
      String topicPrefix,
      Properties consumerProps,
      Deserializer<Object> keys,
      Deserializer<Object> values,
      Function<String, OptionalLong> watermarks,
      Duration margin) {
    this.watermarks = watermarks;
    this.marginMillis = margin.toMillis();
    Map<String, String> viewByTopic = new HashMap<>();
    for (ViewFolder folder : catalog.folders()) {
      views.put(folder.name(), new SpeedWindows(folder, changes));
      folders.put(folder.name(), folder);
      viewByTopic.put(topicPrefix + folder.name(), folder.name());
    }
    Map<String, Object> props = new HashMap<>();
    consumerProps.forEach((k, v) -> props.put(k.toString(), v));
    this.tailer =
        TopicTail.builder("speed-view-store", props)
            .topics(viewByTopic.keySet())
            .start(StartPosition.timestamp(tp -> startTime(viewByTopic.get(tp.topic()))))
            .handler(r -> apply(viewByTopic.get(r.topic()), r, keys, values))
            .housekeeping(EVICT_EVERY, this::evictCovered)
            .build();
  }

  /** A store for every view of {@code catalog} without a batch layer: keeps every window. */
  public SpeedViewStore(
      ViewCatalog catalog,
      String topicPrefix,
      Properties consumerProps,
      Deserializer<Object> keys,
      Deserializer<Object> values) {
    this(
        catalog,
        topicPrefix,
        consumerProps,
        keys,
        values,
        view -> OptionalLong.empty(),
        DEFAULT_MARGIN);
  }

  /** Starts reading in a background thread. */
  public SpeedViewStore start() {
    tailer.start();
    return this;
  }

  /**
   * Publishes {@code oxbow_serving_speed_groups{view}} (groups held), {@code
   * oxbow_serving_speed_windows{view}} (windows held) and {@code
   * oxbow_serving_speed_evicted_total{view}} (groups dropped once the batch view held them), {@code
   * oxbow_serving_speed_covered_total} (records of such windows not stored) and the reader's {@code
   * oxbow_tail_*{tail="speed-view-store"}}.
   */
  public void bindMetrics(MeterRegistry meters) {
    tailer.bindMetrics(meters);
    FunctionCounter.builder("oxbow.serving.speed.covered", covered, AtomicLong::get)
        .description("Speed records not stored because the batch view holds their window")
        .register(meters);
    views.forEach(
        (view, windows) -> {
          Gauge.builder("oxbow.serving.speed.groups", windows, SpeedWindows::size)
              .description("Speed view groups held in memory")
              .tag("view", view)
              .register(meters);
          Gauge.builder("oxbow.serving.speed.windows", windows, SpeedWindows::windowCount)
              .description("Speed view windows held in memory")
              .tag("view", view)
              .register(meters);
          FunctionCounter.builder("oxbow.serving.speed.evicted", windows, SpeedWindows::evicted)
              .description("Speed view groups dropped from memory once the batch view held them")
              .tag("view", view)
              .register(meters);
        });
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

  /**
   * Drops the windows of every view that end at or before its batch watermark minus the margin.
   * Runs every {@link #EVICT_EVERY} in the reading thread; callable at any time.
   */
  public void evictCovered() {
    views.forEach(
        (view, windows) -> {
          OptionalLong watermark = watermark(view);
          if (watermark.isPresent()) {
            long dropped = windows.evictUpTo(watermark.getAsLong() - marginMillis);
            if (dropped > 0) {
              log.debug("{}: dropped {} speed groups the batch view holds", view, dropped);
            }
          }
        });
  }

  private OptionalLong watermark(String view) {
    try {
      return watermarks.apply(view);
    } catch (RuntimeException e) {
      // an unreadable manifest moves nothing: keep every window until it reads again
      log.warn("{}: batch watermark not readable, keeping the speed view: {}", view, e.toString());
      return OptionalLong.empty();
    }
  }

  /** Where a start reads a view's topic: W - margin - window, or the beginning without W. */
  private OptionalLong startTime(String view) {
    OptionalLong watermark = watermark(view);
    if (watermark.isEmpty()) {
      return OptionalLong.empty();
    }
    long window = folders.get(view).definition().window().millis();
    return OptionalLong.of(watermark.getAsLong() - marginMillis - window);
  }

  @Override
  public Map<GroupKey, Aggregate> read(ViewFolder view, long fromMillis, long toMillis) {
    SpeedWindows store = views.get(view.name());
    return store == null ? Map.of() : store.read(fromMillis, toMillis);
  }

  /**
   * The newest change of the range: every group put or removed takes the next number of a counter
   * shared by the views, recorded for its window (after the group is stored), and a range's version
   * is the largest number recorded for its windows (0 for none; an eviction counts as a change).
   */
  @Override
  public Optional<Object> version(String view, long fromMillis, long toMillis) {
    SpeedWindows store = views.get(view);
    return store == null ? Optional.empty() : Optional.of(store.lastChange(fromMillis, toMillis));
  }

  private void apply(
      String view,
      ConsumerRecord<byte[], byte[]> record,
      Deserializer<Object> keys,
      Deserializer<Object> values) {
    SpeedWindows store = views.get(view);
    try {
      if (record.value() == null) {
        Object key = keys.deserialize(record.topic(), record.headers(), record.key());
        store.remove(store.codec.keyOf((GenericRecord) key));
      } else {
        Object value = values.deserialize(record.topic(), record.headers(), record.value());
        GenericRecord row = (GenericRecord) value;
        if (!store.put(store.codec.keyOf(row), store.codec.fromAvro(row))) {
          covered.incrementAndGet();
        }
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
}
