package io.oxbow.views.metric;

import io.oxbow.views.record.FieldValues;
import java.math.BigDecimal;

/**
 * Exact sum of the values (integers, decimals; doubles by their decimal text). Identity 0; merge
 * adds exactly with {@link BigDecimal}, so any order of adds and merges gives the same value and
 * the same scale (the largest scale of the inputs), hence the same bytes. Null values are skipped.
 * Bytes: format 1, 4-byte scale, unscaled value.
 */
public final class SumState implements MetricState {
  private BigDecimal sum;

  /** The identity (0). */
  public SumState() {
    this(BigDecimal.ZERO);
  }

  private SumState(BigDecimal sum) {
    this.sum = sum;
  }

  /** Reads {@link #toBytes()} output. */
  public static SumState fromBytes(byte[] bytes) {
    return new SumState(ExactCodec.readDecimal(bytes));
  }

  /** The sum. */
  public BigDecimal sum() {
    return sum;
  }

  @Override
  public void check(Object value) {
    FieldValues.asDecimal(value);
  }

  @Override
  public void add(Object value) {
    BigDecimal decimal = FieldValues.asDecimal(value);
    if (decimal != null) {
      sum = sum.add(decimal);
    }
  }

  @Override
  public void merge(MetricState other) {
    sum = sum.add(ExactCodec.as(other, SumState.class).sum);
  }

  @Override
  public byte[] toBytes() {
    return ExactCodec.decimal(sum);
  }

  @Override
  public MetricState copy() {
    return new SumState(sum);
  }

  @Override
  public MetricValue readOut() {
    return new MetricValue.Exact(sum);
  }
}
