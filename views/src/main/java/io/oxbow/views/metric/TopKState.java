package io.oxbow.views.metric;

import io.oxbow.views.record.FieldValues;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The k most frequent values with a frequent-items sketch (Apache DataSketches, map of {@code
 * maxMapSize} entries, a power of 2). Identity: the empty sketch; merge is the sketch merge. Values
 * are counted by their text; nulls are skipped. Exact (maximum error 0) while fewer than {@code
 * 0.75 * maxMapSize} distinct values are seen; beyond that every estimate is within {@code 3.5 /
 * maxMapSize} of the stream length of the true count (1.4% at the default 256), and each item
 * carries guaranteed lower and upper bounds. Bytes: the DataSketches image of UTF-8 strings.
 */
public final class TopKState implements MetricState {
  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

  private final int k;
  private final int maxMapSize;
  private final ItemsSketch<String> sketch;

  /** The identity: an empty sketch reporting {@code k} items from a map of {@code maxMapSize}. */
  public TopKState(int k, int maxMapSize) {
    this(k, maxMapSize, new ItemsSketch<>(maxMapSize));
  }

  private TopKState(int k, int maxMapSize, ItemsSketch<String> sketch) {
    this.k = k;
    this.maxMapSize = maxMapSize;
    this.sketch = sketch;
  }

  /** Reads {@link #toBytes()} output. */
  public static TopKState fromBytes(int k, int maxMapSize, byte[] bytes) {
    return new TopKState(k, maxMapSize, ItemsSketch.getInstance(Memory.wrap(bytes), SERDE));
  }

  @Override
  public void add(Object value) {
    String text = FieldValues.asText(value);
    if (text != null) {
      sketch.update(text);
    }
  }

  @Override
  public void merge(MetricState other) {
    sketch.merge(ExactCodec.as(other, TopKState.class).sketch);
  }

  @Override
  public byte[] toBytes() {
    return sketch.toByteArray(SERDE);
  }

  @Override
  public MetricState copy() {
    return fromBytes(k, maxMapSize, toBytes());
  }

  @Override
  public MetricValue readOut() {
    List<MetricValue.Item> items =
        Arrays.stream(sketch.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES))
            .map(
                row ->
                    new MetricValue.Item(
                        row.getItem(), row.getEstimate(), row.getLowerBound(), row.getUpperBound()))
            .sorted(
                Comparator.comparingLong(MetricValue.Item::estimate)
                    .reversed()
                    .thenComparing(MetricValue.Item::item))
            .limit(k)
            .toList();
    return new MetricValue.TopItems(sketch.getStreamLength(), sketch.getMaximumError(), items);
  }
}
