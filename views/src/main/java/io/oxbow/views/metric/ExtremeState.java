package io.oxbow.views.metric;

import io.oxbow.views.record.FieldValues;
import java.math.BigDecimal;

/**
 * Exact minimum or maximum of the values. Identity: empty (no value); merge keeps the smaller (min)
 * or larger (max). Equal values of different scales (1.5, 1.50) keep the larger scale, so the
 * result's bytes never depend on order. Null values are skipped. Bytes: format 1 alone when empty,
 * else format 1, 4-byte scale, unscaled value.
 */
public final class ExtremeState implements MetricState {
  private final boolean max;
  private BigDecimal value;

  private ExtremeState(boolean max, BigDecimal value) {
    this.max = max;
    this.value = value;
  }

  /** The identity of min. */
  public static ExtremeState min() {
    return new ExtremeState(false, null);
  }

  /** The identity of max. */
  public static ExtremeState max() {
    return new ExtremeState(true, null);
  }

  /** Reads {@link #toBytes()} output of a min ({@code max} false) or max state. */
  public static ExtremeState fromBytes(boolean max, byte[] bytes) {
    ExactCodec.open(bytes, 1);
    return new ExtremeState(max, bytes.length == 1 ? null : ExactCodec.readDecimal(bytes));
  }

  /** The extreme value, or null when no value was seen. */
  public BigDecimal value() {
    return value;
  }

  @Override
  public void check(Object value) {
    FieldValues.asDecimal(value);
  }

  @Override
  public void add(Object input) {
    accept(FieldValues.asDecimal(input));
  }

  private void accept(BigDecimal candidate) {
    if (candidate == null) {
      return;
    }
    if (value == null) {
      value = candidate;
      return;
    }
    int cmp = candidate.compareTo(value);
    if ((max ? cmp > 0 : cmp < 0) || (cmp == 0 && candidate.scale() > value.scale())) {
      value = candidate;
    }
  }

  @Override
  public void merge(MetricState other) {
    ExtremeState that = ExactCodec.as(other, ExtremeState.class);
    if (that.max != max) {
      throw new IllegalArgumentException("cannot merge a min state with a max state");
    }
    accept(that.value);
  }

  @Override
  public byte[] toBytes() {
    return value == null ? new byte[] {ExactCodec.FORMAT} : ExactCodec.decimal(value);
  }

  @Override
  public MetricState copy() {
    return new ExtremeState(max, value);
  }

  @Override
  public MetricValue readOut() {
    return new MetricValue.Exact(value);
  }
}
