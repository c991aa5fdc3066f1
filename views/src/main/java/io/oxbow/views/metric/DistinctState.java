package io.oxbow.views.metric;

import io.oxbow.views.record.FieldValues;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Distinct count of the values with a HyperLogLog sketch (Apache DataSketches, HLL_8, {@code 2^lgK}
 * buckets). Identity: the empty sketch; merge is the sketch union. Values are counted by their text
 * (see {@link FieldValues#asText}); null and empty values are skipped. Exact while fewer than about
 * {@code 2^lgK / 16} distinct values are seen; beyond that the relative standard error is about
 * {@code 1.04 / sqrt(2^lgK)} (1.6% at the default lgK 12), and the read-out gives bounds at two
 * standard deviations. Bytes: the DataSketches compact HLL_8 image.
 */
public final class DistinctState implements MetricState {
  /** Standard deviations of the read-out bounds (about 95.4% confidence). */
  public static final int BOUND_STD_DEVS = 2;

  private static final double CONFIDENCE = 0.9545;

  /** Preamble byte of a serialized HLL sketch whose low 2 bits are its mode (DataSketches). */
  private static final int MODE_BYTE = 7;

  /** Mode value of the estimating HLL mode (0 list and 1 set are exact). */
  private static final int HLL_MODE = 2;

  private final int lgK;
  private final Union union;

  /** The identity: an empty sketch with {@code 2^lgK} buckets (lgK 4..21). */
  public DistinctState(int lgK) {
    this(lgK, new Union(lgK));
  }

  private DistinctState(int lgK, Union union) {
    this.lgK = lgK;
    this.union = union;
  }

  /** Reads {@link #toBytes()} output; the sketch is kept at no more than {@code 2^lgK} buckets. */
  public static DistinctState fromBytes(int lgK, byte[] bytes) {
    DistinctState state = new DistinctState(lgK);
    state.union.update(HllSketch.heapify(bytes));
    return state;
  }

  @Override
  public void add(Object value) {
    String text = FieldValues.asText(value);
    if (text != null) {
      union.update(text);
    }
  }

  @Override
  public void merge(MetricState other) {
    union.update(ExactCodec.as(other, DistinctState.class).union.getResult(TgtHllType.HLL_8));
  }

  @Override
  public byte[] toBytes() {
    return union.getResult(TgtHllType.HLL_8).toCompactByteArray();
  }

  @Override
  public MetricState copy() {
    return fromBytes(lgK, toBytes());
  }

  @Override
  public MetricValue readOut() {
    byte[] image = toBytes();
    if ((image[MODE_BYTE] & 3) != HLL_MODE) {
      // list and set modes keep every hashed value: the count is exact up to floating-point noise
      // in the coupon estimator, so report a whole number with no uncertainty
      double count = Math.rint(union.getEstimate());
      return new MetricValue.Estimate(count, count, count, CONFIDENCE);
    }
    return new MetricValue.Estimate(
        union.getEstimate(),
        union.getLowerBound(BOUND_STD_DEVS),
        union.getUpperBound(BOUND_STD_DEVS),
        CONFIDENCE);
  }
}
