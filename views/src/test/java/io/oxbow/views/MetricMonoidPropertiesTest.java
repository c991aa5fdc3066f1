package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.metric.MetricState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every metric is a monoid over real sample values: folding a shuffled input split in k random
 * parts and merging the parts in any order and grouping equals folding it whole (exact metrics byte
 * for byte, sketches within their bounds); the identity is neutral; states round-trip.
 */
class MetricMonoidPropertiesTest {

  /** Values a metric of this type reads in the tests: response bytes or client addresses. */
  private static List<Object> sampleValues(MetricType type, Random random, int size) {
    List<AccessLogEvent> events = SampleData.elasticEvents();
    int from = random.nextInt(events.size() - size + 1);
    List<Object> values = new ArrayList<>(size);
    for (AccessLogEvent event : events.subList(from, from + size)) {
      values.add(type.numeric() ? event.getBytes() : event.getClient());
    }
    return values;
  }

  private static MetricSpec spec(MetricType type, int lgK) {
    Map<String, Integer> options = new HashMap<>(type.defaults());
    // one size knob drives every sketch from tiny (estimating early) to the defaults
    options.computeIfPresent("lg_k", (k, v) -> lgK);
    options.computeIfPresent("max_map_size", (k, v) -> 1 << Math.max(3, lgK - 2));
    if (type == MetricType.QUANTILES) {
      options.put("k", 8 << (lgK - 4));
    }
    return new MetricSpec("m", type, type.needsField() ? "f" : null, options);
  }

  private static MetricState fold(MetricSpec spec, List<Object> values) {
    MetricState state = spec.type().identity(spec);
    values.forEach(state::add);
    return state;
  }

  @Property(tries = 40)
  void foldingRandomPartsAndMergingEqualsFoldingWhole(
      @ForAll MetricType type,
      @ForAll @IntRange(min = 1, max = 12) int parts,
      @ForAll @IntRange(min = 0, max = 4000) int size,
      @ForAll @IntRange(min = 4, max = 12) int lgK,
      @ForAll long seed) {
    Random random = new Random(seed);
    MetricSpec spec = spec(type, lgK);
    List<Object> values = sampleValues(type, random, size);
    MetricState whole = fold(spec, values);

    List<Object> shuffled = new ArrayList<>(values);
    Collections.shuffle(shuffled, random);
    List<MetricState> partStates = new ArrayList<>();
    List<MetricState> partCopies = new ArrayList<>();
    for (List<Object> part : split(shuffled, parts, random)) {
      MetricState state = fold(spec, part);
      partStates.add(state);
      partCopies.add(state.copy());
    }
    MetricState merged = MetricAssertions.mergeRandomly(partStates, random);
    MetricAssertions.assertAgrees(spec, merged, whole, values, values.size());

    MetricState mergedAgain = MetricAssertions.mergeRandomly(partCopies, random);
    if (type.exact()) {
      assertThat(mergedAgain.toBytes()).as("another merge order").isEqualTo(merged.toBytes());
    } else {
      MetricAssertions.assertAgrees(spec, mergedAgain, whole, values, values.size());
    }
  }

  @Property(tries = 30)
  void identityIsNeutralOnBothSides(
      @ForAll MetricType type, @ForAll @IntRange(min = 0, max = 2000) int size, @ForAll long seed) {
    MetricSpec spec = spec(type, 12);
    List<Object> values = sampleValues(type, new Random(seed), size);
    MetricState x = fold(spec, values);

    MetricState left = spec.type().identity(spec);
    left.merge(x);
    MetricState right = x.copy();
    right.merge(spec.type().identity(spec));

    if (type.exact()) {
      assertThat(left.toBytes()).isEqualTo(x.toBytes());
      assertThat(right.toBytes()).isEqualTo(x.toBytes());
    } else {
      MetricAssertions.assertAgrees(spec, left, x, values, values.size());
      MetricAssertions.assertAgrees(spec, right, x, values, values.size());
    }
  }

  @Property(tries = 30)
  void serializationRoundTrips(
      @ForAll MetricType type, @ForAll @IntRange(min = 0, max = 3000) int size, @ForAll long seed) {
    MetricSpec spec = spec(type, 10);
    MetricState state = fold(spec, sampleValues(type, new Random(seed), size));

    MetricState decoded = type.fromBytes(spec, state.toBytes());

    // sketches may lay out their entries in another order after decoding; what they answer and
    // the bytes of exact metrics are the same
    assertThat(decoded.readOut()).isEqualTo(state.readOut());
    assertThat(type.fromBytes(spec, decoded.toBytes()).readOut()).isEqualTo(state.readOut());
    if (type.exact()) {
      assertThat(decoded.toBytes()).isEqualTo(state.toBytes());
    }
  }

  @Property(tries = 30)
  void decimalSumsAreExactAndOrderIndependent(
      @ForAll @IntRange(min = 1, max = 10) int parts, @ForAll long seed) {
    Random random = new Random(seed);
    List<Object> amounts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      amounts.add(BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 4));
    }
    MetricSpec sum = MetricSpec.of("revenue", MetricType.SUM, "amount");
    BigDecimal expected =
        amounts.stream().map(BigDecimal.class::cast).reduce(BigDecimal.ZERO, BigDecimal::add);

    Collections.shuffle(amounts, random);
    List<MetricState> states = new ArrayList<>();
    split(amounts, parts, random).forEach(part -> states.add(fold(sum, part)));
    MetricState merged = MetricAssertions.mergeRandomly(states, random);

    MetricAssertions.assertAgrees(sum, merged, fold(sum, amounts), amounts, amounts.size());
    assertThat(merged.toBytes()).isEqualTo(fold(sum, List.of(expected)).toBytes());
  }

  /** Splits into {@code parts} contiguous pieces at random cut points (pieces may be empty). */
  static <T> List<List<T>> split(List<T> items, int parts, Random random) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 1; i < parts; i++) {
      cuts.add(random.nextInt(items.size() + 1));
    }
    Collections.sort(cuts);
    cuts.add(items.size());
    List<List<T>> pieces = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      pieces.add(items.subList(from, cut));
      from = cut;
    }
    return pieces;
  }
}
