package io.oxbow.views.metric;

import io.oxbow.views.record.FieldValues;
import java.nio.ByteBuffer;
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
  private static final int HEADER = 17;

  private final int k;
  private final int maxMapSize;
  private final ItemsSketch<String> sketch;

  /*
   * A DataSketches frequent-items sketch whose purges removed every item reports itself empty: it
   * then serializes, and merges into another, as if it had seen nothing, losing its stream length
   * and error offset. Those are kept here and added back, which is exactly what merging the
   * sketch would have done (offsets and lengths add).
   */
  private long extraLength;
  private long extraOffset;

  /** The identity: an empty sketch reporting {@code k} items from a map of {@code maxMapSize}. */
  public TopKState(int k, int maxMapSize) {
    this(k, maxMapSize, new ItemsSketch<>(maxMapSize), 0, 0);
  }

  private TopKState(
      int k, int maxMapSize, ItemsSketch<String> sketch, long extraLength, long extraOffset) {
    this.k = k;
    this.maxMapSize = maxMapSize;
    this.sketch = sketch;
    this.extraLength = extraLength;
    this.extraOffset = extraOffset;
  }

  /** Reads {@link #toBytes()} output. */
  public static TopKState fromBytes(int k, int maxMapSize, byte[] bytes) {
    ByteBuffer header = ExactCodec.open(bytes, HEADER);
    long length = header.getLong();
    long offset = header.getLong();
    ItemsSketch<String> sketch =
        ItemsSketch.getInstance(
            Memory.wrap(Arrays.copyOfRange(bytes, HEADER, bytes.length)), SERDE);
    return new TopKState(k, maxMapSize, sketch, length, offset);
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
    TopKState that = ExactCodec.as(other, TopKState.class);
    extraLength += that.extraLength + that.lostLength();
    extraOffset += that.extraOffset + that.lostOffset();
    sketch.merge(that.sketch);
  }

  /** Stream length the sketch holds but would not serialize or merge (all items purged). */
  private long lostLength() {
    return sketch.getNumActiveItems() == 0 ? sketch.getStreamLength() : 0;
  }

  private long lostOffset() {
    return sketch.getNumActiveItems() == 0 ? sketch.getMaximumError() : 0;
  }

  /**
   * Bytes: format 1, 8-byte stream length and 8-byte error offset not held by the sketch image (see
   * above; usually 0), then the DataSketches image of UTF-8 strings.
   */
  @Override
  public byte[] toBytes() {
    byte[] image = sketch.toByteArray(SERDE);
    return ByteBuffer.allocate(HEADER + image.length)
        .put(ExactCodec.FORMAT)
        .putLong(extraLength + lostLength())
        .putLong(extraOffset + lostOffset())
        .put(image)
        .array();
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
                        row.getItem(),
                        row.getEstimate() + extraOffset,
                        row.getLowerBound(),
                        row.getUpperBound() + extraOffset))
            .sorted(
                Comparator.comparingLong(MetricValue.Item::estimate)
                    .reversed()
                    .thenComparing(MetricValue.Item::item))
            .limit(k)
            .toList();
    return new MetricValue.TopItems(
        sketch.getStreamLength() + extraLength, sketch.getMaximumError() + extraOffset, items);
  }
}
