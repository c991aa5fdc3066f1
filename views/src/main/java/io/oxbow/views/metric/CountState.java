package io.oxbow.views.metric;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

/** Number of records folded in. Identity 0, merge adds. Bytes: format 1, 8-byte count. */
public final class CountState implements MetricState {
  private long count;

  /** The identity (0). */
  public CountState() {}

  private CountState(long count) {
    this.count = count;
  }

  /** Reads {@link #toBytes()} output. */
  public static CountState fromBytes(byte[] bytes) {
    ByteBuffer buffer = ExactCodec.open(bytes, 9);
    return new CountState(buffer.getLong());
  }

  /** The count. */
  public long count() {
    return count;
  }

  @Override
  public void add(Object value) {
    count = Math.addExact(count, 1);
  }

  @Override
  public void merge(MetricState other) {
    count = Math.addExact(count, ExactCodec.as(other, CountState.class).count);
  }

  @Override
  public byte[] toBytes() {
    return ByteBuffer.allocate(9).put(ExactCodec.FORMAT).putLong(count).array();
  }

  @Override
  public MetricState copy() {
    return new CountState(count);
  }

  @Override
  public MetricValue readOut() {
    return new MetricValue.Exact(BigDecimal.valueOf(count));
  }
}
