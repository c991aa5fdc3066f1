package io.oxbow.views;

import java.util.Map;
import java.util.TreeMap;

/**
 * One metric of a view as defined: its name (unique in the view, a key of the read-out), type, the
 * field it reads (null for count) and its options with defaults filled in.
 *
 * @param name metric name, lower case letters, digits and underscores
 * @param type what it computes
 * @param field field or derived value it reads; null for {@link MetricType#COUNT}
 * @param options every option of the type (see {@link MetricType#defaults()}), defaults applied
 */
public record MetricSpec(String name, MetricType type, String field, Map<String, Integer> options) {
  /** Copies options into a sorted immutable map. */
  public MetricSpec {
    options = Map.copyOf(new TreeMap<>(options));
  }

  /** A metric with the type's default options. */
  public static MetricSpec of(String name, MetricType type, String field) {
    return new MetricSpec(name, type, field, type.defaults());
  }

  /** The value of {@code option} (e.g. lg_k). */
  public int option(String option) {
    Integer value = options.get(option);
    if (value == null) {
      throw new IllegalArgumentException("metric '" + name + "' has no option '" + option + "'");
    }
    return value;
  }
}
