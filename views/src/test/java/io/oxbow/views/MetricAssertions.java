package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oxbow.views.metric.MetricState;
import io.oxbow.views.metric.MetricValue;
import io.oxbow.views.metric.QuantilesState;
import io.oxbow.views.record.FieldValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a merged metric state against the input values it saw, computed directly: exact metrics
 * exactly (value and bytes), sketches within their stated error bounds.
 */
final class MetricAssertions {
  private MetricAssertions() {}

  /** Merges states pairwise in a random order and tree shape; returns the single result. */
  static MetricState mergeRandomly(List<MetricState> states, Random random) {
    List<MetricState> pool = new ArrayList<>(states);
    while (pool.size() > 1) {
      MetricState left = pool.remove(random.nextInt(pool.size()));
      MetricState right = pool.remove(random.nextInt(pool.size()));
      left.merge(right);
      pool.add(random.nextInt(pool.size() + 1), left);
    }
    return pool.get(0);
  }

  /**
   * Asserts that {@code merged} (from parts) agrees with {@code whole} (one fold over everything)
   * and with the truth computed from {@code values} (null for count: then only {@code n} counts).
   */
  static void assertAgrees(
      MetricSpec spec, MetricState merged, MetricState whole, List<Object> values, long n) {
    String what = spec.name() + " (" + spec.type().id() + ")";
    List<Object> present = values.stream().filter(Objects::nonNull).toList();
    switch (spec.type()) {
      case COUNT -> assertExact(what, merged, whole, BigDecimal.valueOf(n));
      case SUM ->
          assertExact(
              what,
              merged,
              whole,
              present.stream()
                  .map(FieldValues::asDecimal)
                  .reduce(BigDecimal.ZERO, BigDecimal::add));
      case MIN, MAX -> {
        Comparator<BigDecimal> order =
            spec.type() == MetricType.MIN
                ? Comparator.naturalOrder()
                : Comparator.<BigDecimal>naturalOrder().reversed();
        BigDecimal expected = present.stream().map(FieldValues::asDecimal).min(order).orElse(null);
        assertThat(merged.toBytes()).as(what + " bytes").isEqualTo(whole.toBytes());
        MetricValue.Exact value = (MetricValue.Exact) merged.readOut();
        if (expected == null) {
          assertThat(value.value()).as(what).isNull();
        } else {
          assertThat(value.value()).as(what).isEqualByComparingTo(expected);
        }
      }
      case DISTINCT -> assertDistinct(what, spec, merged, whole, present);
      case QUANTILES -> assertQuantiles(what, merged, whole, present);
      case TOP_K -> assertTopK(what, spec, merged, whole, present);
      default -> throw new IllegalStateException(spec.type().toString());
    }
  }

  private static void assertExact(
      String what, MetricState merged, MetricState whole, BigDecimal expected) {
    assertThat(merged.toBytes()).as(what + " bytes").isEqualTo(whole.toBytes());
    assertThat(((MetricValue.Exact) merged.readOut()).value())
        .as(what)
        .isEqualByComparingTo(expected);
  }

  /**
   * HLL: exact below its exact-mode size, else within 5 relative standard errors of the truth (the
   * read-out's 2-sigma bounds hold with ~95% probability; 5 sigma makes a false alarm ~1e-6).
   */
  private static void assertDistinct(
      String what, MetricSpec spec, MetricState merged, MetricState whole, List<Object> values) {
    long truth = values.stream().map(FieldValues::asText).collect(Collectors.toSet()).size();
    double rse = 1.04 / Math.sqrt(1 << spec.option("lg_k"));
    for (MetricState state : List.of(merged, whole)) {
      MetricValue.Estimate estimate = (MetricValue.Estimate) state.readOut();
      assertThat(estimate.lowerBound()).as(what).isLessThanOrEqualTo(estimate.estimate());
      assertThat(estimate.upperBound()).as(what).isGreaterThanOrEqualTo(estimate.estimate());
      if (truth <= 7) {
        assertThat(estimate.estimate()).as(what + " (list mode)").isEqualTo((double) truth);
        assertThat(estimate.upperBound()).isEqualTo(estimate.lowerBound());
      } else if (estimate.lowerBound() == estimate.upperBound()) {
        // set mode: exact unless two values share a hash slot, which is rare (< 1e-4) this small
        assertThat(estimate.estimate())
            .as(what + " (set mode)")
            .isCloseTo(truth, within(truth * 0.01));
      } else {
        assertThat(estimate.estimate()).as(what).isCloseTo(truth, within(5 * rse * truth + 1));
      }
    }
  }

  /** KLL: exact n, min, max; every quantile's true rank within 2x the stated rank error. */
  private static void assertQuantiles(
      String what, MetricState merged, MetricState whole, List<Object> values) {
    double[] sorted =
        values.stream().mapToDouble(v -> ((Number) v).doubleValue()).sorted().toArray();
    for (MetricState state : List.of(merged, whole)) {
      MetricValue.Quantiles q = (MetricValue.Quantiles) state.readOut();
      assertThat(q.n()).as(what + " n").isEqualTo(sorted.length);
      if (sorted.length == 0) {
        assertThat(q.quantiles()).as(what).isEmpty();
        continue;
      }
      assertThat(q.min()).as(what + " min").isEqualTo(sorted[0]);
      assertThat(q.max()).as(what + " max").isEqualTo(sorted[sorted.length - 1]);
      assertThat(q.quantiles())
          .extracting(MetricValue.Quantile::label)
          .isEqualTo(QuantilesState.LABELS);
      double tolerance = 2 * q.normalizedRankError();
      for (MetricValue.Quantile quantile : q.quantiles()) {
        double below = rankBelow(sorted, quantile.value(), false);
        double atOrBelow = rankBelow(sorted, quantile.value(), true);
        assertThat(quantile.rank())
            .as(what + " " + quantile.label() + " = " + quantile.value())
            .isBetween(below - tolerance, atOrBelow + tolerance);
        assertThat(quantile.lowerBound()).isLessThanOrEqualTo(quantile.value());
        assertThat(quantile.upperBound()).isGreaterThanOrEqualTo(quantile.value());
      }
    }
  }

  private static double rankBelow(double[] sorted, double value, boolean inclusive) {
    long count = 0;
    for (double v : sorted) {
      if (v < value || (inclusive && v == value)) {
        count++;
      }
    }
    return (double) count / sorted.length;
  }

  /** Frequent items: stream length exact, every true count within its item's bounds. */
  private static void assertTopK(
      String what, MetricSpec spec, MetricState merged, MetricState whole, List<Object> values) {
    Map<String, Long> truth =
        values.stream()
            .collect(
                Collectors.groupingBy(FieldValues::asText, TreeMap::new, Collectors.counting()));
    for (MetricState state : List.of(merged, whole)) {
      MetricValue.TopItems top = (MetricValue.TopItems) state.readOut();
      assertThat(top.streamLength()).as(what + " stream length").isEqualTo(values.size());
      assertThat(top.maximumError())
          .as(what)
          .isLessThanOrEqualTo((long) Math.ceil(3.5 * values.size() / spec.option("max_map_size")));
      assertThat(top.items().size()).isLessThanOrEqualTo(spec.option("k"));
      for (MetricValue.Item item : top.items()) {
        long count = truth.getOrDefault(item.item(), 0L);
        assertThat(count).as(what + " " + item).isBetween(item.lowerBound(), item.upperBound());
      }
      if (top.maximumError() == 0) {
        List<String> expected =
            truth.entrySet().stream()
                .sorted(
                    Map.Entry.<String, Long>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(spec.option("k"))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(top.items()).extracting(MetricValue.Item::item).as(what).isEqualTo(expected);
      }
    }
  }
}
