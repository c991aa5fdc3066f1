package io.oxbow.views.metric;

import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Quantiles of numeric values with a KLL sketch (Apache DataSketches, doubles, parameter k).
 * Identity: the empty sketch; merge is the KLL merge. Decimals are converted to double. Null values
 * are skipped. Exact while fewer than about k values are seen; beyond that a returned quantile's
 * true rank is within {@code normalizedRankError} of the requested rank with 99% confidence (about
 * 1.33% at the default k 200). Read-out: p50, p90, p95, p99 with bounds, exact min and max. Bytes:
 * the DataSketches KLL doubles image.
 */
public final class QuantilesState implements MetricState {
  /** The ranks the read-out reports, with their labels. */
  public static final List<String> LABELS = List.of("p50", "p90", "p95", "p99");

  /** The ranks of {@link #LABELS}, in the same order. */
  public static final double[] RANKS = {0.5, 0.9, 0.95, 0.99};

  private final KllDoublesSketch sketch;

  /** The identity: an empty sketch with parameter {@code k} (8..65535). */
  public QuantilesState(int k) {
    this(KllDoublesSketch.newHeapInstance(k));
  }

  private QuantilesState(KllDoublesSketch sketch) {
    this.sketch = sketch;
  }

  /** Reads {@link #toBytes()} output. */
  public static QuantilesState fromBytes(byte[] bytes) {
    return new QuantilesState(KllDoublesSketch.heapify(Memory.wrap(bytes)));
  }

  @Override
  public void add(Object value) {
    if (value != null) {
      sketch.update(finite(value));
    }
  }

  @Override
  public void check(Object value) {
    if (value != null) {
      finite(value);
    }
  }

  private static double finite(Object value) {
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("not a number: " + value);
    }
    double d = number.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    return d;
  }

  @Override
  public void merge(MetricState other) {
    sketch.merge(ExactCodec.as(other, QuantilesState.class).sketch);
  }

  @Override
  public byte[] toBytes() {
    return sketch.toByteArray();
  }

  @Override
  public MetricState copy() {
    return fromBytes(toBytes());
  }

  @Override
  public MetricValue readOut() {
    double error = sketch.getNormalizedRankError(false);
    if (sketch.isEmpty()) {
      return new MetricValue.Quantiles(0, null, null, error, List.of());
    }
    List<MetricValue.Quantile> quantiles = new ArrayList<>();
    for (int i = 0; i < RANKS.length; i++) {
      double rank = RANKS[i];
      quantiles.add(
          new MetricValue.Quantile(
              LABELS.get(i),
              rank,
              sketch.getQuantile(rank),
              sketch.getQuantileLowerBound(rank),
              sketch.getQuantileUpperBound(rank)));
    }
    return new MetricValue.Quantiles(
        sketch.getN(), sketch.getMinItem(), sketch.getMaxItem(), error, List.copyOf(quantiles));
  }
}
