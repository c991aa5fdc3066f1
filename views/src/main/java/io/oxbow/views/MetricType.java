package io.oxbow.views;

import io.oxbow.views.metric.CountState;
import io.oxbow.views.metric.DistinctState;
import io.oxbow.views.metric.ExtremeState;
import io.oxbow.views.metric.MetricState;
import io.oxbow.views.metric.QuantilesState;
import io.oxbow.views.metric.SumState;
import io.oxbow.views.metric.TopKState;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The kinds of metric a view can compute, each a monoid (see {@link MetricState}). The name is what
 * definitions write in {@code type:}; options are integers with the defaults listed here.
 *
 * <ul>
 *   <li>{@code count}: records in the group (no field).
 *   <li>{@code sum}, {@code min}, {@code max}: exact, of a numeric field.
 *   <li>{@code distinct}: HyperLogLog distinct count of any field; option {@code lg_k} (4..21,
 *       default 12).
 *   <li>{@code quantiles}: KLL quantiles of a numeric field; option {@code k} (8..65535, default
 *       200).
 *   <li>{@code top_k}: most frequent values of any field; options {@code k} (items reported,
 *       1..1000, default 10) and {@code max_map_size} (power of 2, 8..1048576, default 256).
 * </ul>
 */
public enum MetricType {
  /** Number of records. */
  COUNT("count", false, false, Map.of()),
  /** Exact sum. */
  SUM("sum", true, true, Map.of()),
  /** Exact minimum. */
  MIN("min", true, true, Map.of()),
  /** Exact maximum. */
  MAX("max", true, true, Map.of()),
  /** HyperLogLog distinct count. */
  DISTINCT("distinct", true, false, Map.of("lg_k", 12)),
  /** KLL quantiles. */
  QUANTILES("quantiles", true, true, Map.of("k", 200)),
  /** Frequent items. */
  TOP_K("top_k", true, false, Map.of("k", 10, "max_map_size", 256));

  private final String id;
  private final boolean needsField;
  private final boolean numeric;
  private final Map<String, Integer> defaults;

  MetricType(String id, boolean needsField, boolean numeric, Map<String, Integer> defaults) {
    this.id = id;
    this.needsField = needsField;
    this.numeric = numeric;
    this.defaults = defaults;
  }

  /** The name used in definitions (e.g. {@code top_k}). */
  public String id() {
    return id;
  }

  /** True when the metric reads a field ({@code field:} is required); false for count. */
  public boolean needsField() {
    return needsField;
  }

  /** True when the field must be numeric. */
  public boolean numeric() {
    return numeric;
  }

  /** Options this type accepts, with their defaults. */
  public Map<String, Integer> defaults() {
    return defaults;
  }

  /** True when the result is exact and its bytes never depend on the order of folding. */
  public boolean exact() {
    return this == COUNT || this == SUM || this == MIN || this == MAX;
  }

  /**
   * Checks option {@code option}'s value; returns null when valid, else what is wrong.
   *
   * @param option an option name from {@link #defaults()}
   */
  String checkOption(String option, int value) {
    return switch (option) {
      case "lg_k" -> value >= 4 && value <= 21 ? null : "must be within 4..21";
      case "k" ->
          this == QUANTILES
              ? (value >= 8 && value <= 65535 ? null : "must be within 8..65535")
              : (value >= 1 && value <= 1000 ? null : "must be within 1..1000");
      case "max_map_size" ->
          value >= 8 && value <= (1 << 20) && Integer.bitCount(value) == 1
              ? null
              : "must be a power of 2 within 8..1048576";
      default -> "unknown option";
    };
  }

  /** A new identity state for {@code spec}. */
  public MetricState identity(MetricSpec spec) {
    return switch (this) {
      case COUNT -> new CountState();
      case SUM -> new SumState();
      case MIN -> ExtremeState.min();
      case MAX -> ExtremeState.max();
      case DISTINCT -> new DistinctState(spec.option("lg_k"));
      case QUANTILES -> new QuantilesState(spec.option("k"));
      case TOP_K -> new TopKState(spec.option("k"), spec.option("max_map_size"));
    };
  }

  /**
   * Decodes a state of {@code spec} written by {@link MetricState#toBytes()}.
   *
   * @throws IllegalArgumentException (or a DataSketches exception) when the bytes are not a state
   *     of this type
   */
  public MetricState fromBytes(MetricSpec spec, byte[] bytes) {
    return switch (this) {
      case COUNT -> CountState.fromBytes(bytes);
      case SUM -> SumState.fromBytes(bytes);
      case MIN -> ExtremeState.fromBytes(false, bytes);
      case MAX -> ExtremeState.fromBytes(true, bytes);
      case DISTINCT -> DistinctState.fromBytes(spec.option("lg_k"), bytes);
      case QUANTILES -> QuantilesState.fromBytes(bytes);
      case TOP_K -> TopKState.fromBytes(spec.option("k"), spec.option("max_map_size"), bytes);
    };
  }

  /**
   * The type written {@code id} in a definition.
   *
   * @throws IllegalArgumentException listing the valid types when none matches
   */
  public static MetricType fromId(String id) {
    for (MetricType type : values()) {
      if (type.id.equals(id)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric type '"
            + id
            + "' (one of "
            + Arrays.stream(values()).map(MetricType::id).collect(Collectors.joining(", "))
            + ")");
  }
}
