package io.oxbow.serving.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.oxbow.views.metric.MetricValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a metric read-out.
 *
 * <ul>
 *   <li>count, sum, min, max: a number (null for min/max of no values);
 *   <li>distinct: {@code {"estimate", "lower", "upper"}} (bounds at about 95% confidence);
 *   <li>quantiles: {@code {"n", "min", "max", "p50": {"estimate", "lower", "upper"}, "p90", "p95",
 *       "p99"}};
 *   <li>top_k: {@code {"n", "max_error", "items": [{"item", "estimate", "lower", "upper"}]}}.
 * </ul>
 */
public final class MetricJson {
  private MetricJson() {}

  /** The JSON-ready value (a number, null or a map) of {@code value}. */
  public static Object of(MetricValue value) {
    if (value instanceof MetricValue.Exact exact) {
      return exact.value();
    }
    if (value instanceof MetricValue.Estimate e) {
      return bounds(e.estimate(), e.lowerBound(), e.upperBound());
    }
    if (value instanceof MetricValue.Quantiles q) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("n", q.n());
      out.put("min", q.min());
      out.put("max", q.max());
      for (MetricValue.Quantile quantile : q.quantiles()) {
        out.put(
            quantile.label(),
            bounds(quantile.value(), quantile.lowerBound(), quantile.upperBound()));
      }
      return out;
    }
    MetricValue.TopItems top = (MetricValue.TopItems) value;
    List<Map<String, Object>> items = new ArrayList<>();
    for (MetricValue.Item item : top.items()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("item", item.item());
      row.put("estimate", item.estimate());
      row.put("lower", item.lowerBound());
      row.put("upper", item.upperBound());
      items.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", top.streamLength());
    out.put("max_error", top.maximumError());
    out.put("items", items);
    return out;
  }

  /**
   * Writes the JSON form of {@code value} as the next value of {@code json}: the same text as
   * {@link #of} serialized by Jackson, without building it first for the common kinds.
   */
  public static void write(JsonGenerator json, MetricValue value) throws IOException {
    if (value instanceof MetricValue.Exact exact) {
      if (exact.value() == null) {
        json.writeNull();
      } else {
        json.writeNumber(exact.value());
      }
    } else if (value instanceof MetricValue.Estimate e) {
      json.writeStartObject();
      json.writeNumberField("estimate", e.estimate());
      json.writeNumberField("lower", e.lowerBound());
      json.writeNumberField("upper", e.upperBound());
      json.writeEndObject();
    } else {
      json.writeObject(of(value));
    }
  }

  /**
   * The number a row is sorted by: the exact value or the distinct estimate; null for a missing
   * min/max.
   */
  static BigDecimal sortKey(MetricValue value) {
    if (value instanceof MetricValue.Exact exact) {
      return exact.value();
    }
    if (value instanceof MetricValue.Estimate e) {
      return BigDecimal.valueOf(e.estimate());
    }
    throw new IllegalArgumentException("not sortable: " + value);
  }

  private static Map<String, Object> bounds(double estimate, double lower, double upper) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("estimate", estimate);
    out.put("lower", lower);
    out.put("upper", upper);
    return out;
  }
}
