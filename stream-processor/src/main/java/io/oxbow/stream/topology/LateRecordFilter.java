package io.oxbow.stream.topology;

import io.oxbow.stream.StreamMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Drops, and counts in {@code dropped_late{view}}, the records whose window has closed: the window
 * end plus the grace period is at or before the stream time (the greatest timestamp seen by this
 * task). This is the rule the windowed aggregation after it applies, made visible: Kafka Streams
 * would drop such a record too, but only into a generic sensor. The stream time is kept in a
 * changelogged store so a restart resumes with the same judgement.
 */
final class LateRecordFilter<K, V> implements FixedKeyProcessor<K, V, V> {
  private static final String KEY = "stream-time";

  private final String view;
  private final long windowMs;
  private final long graceMs;
  private final String storeName;
  private final StreamMetrics metrics;
  private FixedKeyProcessorContext<K, V> context;
  private KeyValueStore<String, Long> store;
  private long streamTime = Long.MIN_VALUE;

  LateRecordFilter(
      String view, long windowMs, long graceMs, String storeName, StreamMetrics metrics) {
    this.view = view;
    this.windowMs = windowMs;
    this.graceMs = graceMs;
    this.storeName = storeName;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<K, V> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    Long saved = store.get(KEY);
    streamTime = saved == null ? Long.MIN_VALUE : saved;
  }

  @Override
  public void process(FixedKeyRecord<K, V> record) {
    long ts = record.timestamp();
    if (ts > streamTime) {
      streamTime = ts;
      store.put(KEY, ts);
    }
    long windowEnd = ts - Math.floorMod(ts, windowMs) + windowMs;
    if (windowEnd + graceMs <= streamTime) {
      metrics.droppedLate(view);
      return;
    }
    context.forward(record);
  }
}
