package io.oxbow.views.metric;

import java.math.BigDecimal;
import java.util.List;

/**
 * The read-out of a metric: what the serving API returns. Records, so they serialize to JSON as-is
 * with Jackson.
 */
public sealed interface MetricValue {

  /**
   * An exact value: count, sum, min or max. {@code value} is null for min/max of a group with no
   * values.
   */
  record Exact(BigDecimal value) implements MetricValue {}

  /**
   * A distinct-count estimate with bounds at {@code confidence} (about 0.954, two standard
   * deviations): the true count lies in [lowerBound, upperBound] with that probability. Exact
   * (estimate equals the true count and bounds coincide) while the sketch holds few items.
   */
  record Estimate(double estimate, double lowerBound, double upperBound, double confidence)
      implements MetricValue {}

  /**
   * Quantiles of the values: {@code n} values seen, their exact min and max (null when n is 0), and
   * for each rank in {@link QuantilesState#RANKS} (p50, p90, p95, p99) the estimated value with
   * bounds. {@code normalizedRankError} is the sketch's rank error at 99% confidence: the returned
   * value's true rank is within that of the requested rank.
   */
  record Quantiles(
      long n, Double min, Double max, double normalizedRankError, List<Quantile> quantiles)
      implements MetricValue {}

  /** One quantile: rank (0.5 for p50), label (p50), estimated value and its bounds. */
  record Quantile(String label, double rank, double value, double lowerBound, double upperBound) {}

  /**
   * The most frequent items, most frequent first (at most k). {@code streamLength} is the number of
   * values seen; every true count lies in [lowerBound, upperBound] of its item, and {@code
   * maximumError} bounds the error of any estimate (0 while the sketch is exact).
   */
  record TopItems(long streamLength, long maximumError, List<Item> items) implements MetricValue {}

  /** One frequent item with its estimated count and guaranteed bounds. */
  record Item(String item, long estimate, long lowerBound, long upperBound) {}
}
