package io.oxbow.stream.topology;

import io.oxbow.views.Aggregate;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Drops the partial aggregates whose window has closed, and counts their input records in {@code
 * dropped_late{view}}: a window is closed when its end plus the grace period is at or before the
 * task's stream time (the greatest timestamp seen on its input, which Kafka Streams keeps with the
 * committed offsets, so a restart resumes with the same judgement). This is the rule of the
 * windowed aggregation after it, made visible: Kafka Streams would drop such a record too, but only
 * into a generic sensor.
 */
final class LateRecordFilter<K> implements FixedKeyProcessor<K, Aggregate, Aggregate> {
  private final String view;
  private final long windowMs;
  private final long graceMs;
  private final StreamMetrics metrics;
  private FixedKeyProcessorContext<K, Aggregate> context;

  LateRecordFilter(String view, long windowMs, long graceMs, StreamMetrics metrics) {
    this.view = view;
    this.windowMs = windowMs;
    this.graceMs = graceMs;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<K, Aggregate> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<K, Aggregate> record) {
    long ts = record.timestamp();
    long windowEnd = ts - Math.floorMod(ts, windowMs) + windowMs;
    if (windowEnd + graceMs <= context.currentStreamTimeMs()) {
      metrics.droppedLate(view, record.value().records());
      return;
    }
    context.forward(record);
  }
}
