package io.oxbow.views.metric;

/**
 * The running state of one metric of one view group: an element of a commutative monoid.
 *
 * <p>A new state (from {@code MetricType.identity}) is the identity; {@link #merge} is associative
 * and commutative (exactly for count, sum, min and max; within the sketch's error bounds for
 * distinct, quantiles and top-k). States are mutable accumulators, like the sketches they wrap:
 * {@link #add} and {@link #merge} update this state in place and never modify their argument; use
 * {@link #copy} to keep a snapshot.
 */
public interface MetricState {
  /**
   * Folds one input value in. {@code value} is normalized (see {@code
   * io.oxbow.views.record.ValueExtractor}); null means the record has no value and is ignored by
   * every metric except count, which counts records.
   *
   * @throws IllegalArgumentException when the value cannot be used (e.g. text for a sum)
   */
  void add(Object value);

  /**
   * Throws what {@link #add} would throw for {@code value}, without changing the state; returns
   * normally when {@code add(value)} will succeed. The default accepts every value.
   *
   * @throws IllegalArgumentException when the value cannot be used (e.g. text for a sum)
   */
  default void check(Object value) {}

  /**
   * Merges {@code other} (a state of the same metric definition) into this one.
   *
   * @throws IllegalArgumentException when {@code other} is a different kind of state
   */
  void merge(MetricState other);

  /** Compact binary form (format per metric type, see the ViewMetric Avro schema). */
  byte[] toBytes();

  /** An independent copy of this state. */
  MetricState copy();

  /** The metric's current value, with error bounds for sketches. */
  MetricValue readOut();
}
