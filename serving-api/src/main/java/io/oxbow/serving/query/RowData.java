package io.oxbow.serving.query;

import com.fasterxml.jackson.core.SerializableString;
import io.oxbow.views.GroupKey;
import io.oxbow.views.metric.MetricValue;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One result row before it is written as JSON: what rows are sorted by.
 *
 * @param key the bucket and grouped dimension values
 * @param dims grouped dimension names and values
 * @param metrics returned metrics' read-outs, in the order asked
 * @param json the row's JSON object, rendered ahead (rows kept in the cache), or null
 */
record RowData(
    GroupKey key,
    Map<String, String> dims,
    Map<String, MetricValue> metrics,
    SerializableString json) {
  private static final Comparator<String> TEXT =
      Comparator.nullsFirst(Comparator.<String>naturalOrder());
  private static final Comparator<BigDecimal> NUMBER =
      Comparator.nullsFirst(Comparator.<BigDecimal>naturalOrder());

  /** A row to be rendered when written. */
  RowData(GroupKey key, Map<String, String> dims, Map<String, MetricValue> metrics) {
    this(key, dims, metrics, null);
  }

  /** This row with its JSON rendered ahead. */
  RowData rendered() {
    return json != null ? this : new RowData(key, dims, metrics, RowJson.render(this));
  }

  /** Sorts by the given keys, then by window start and dimension values (the group key order). */
  static Comparator<RowData> comparator(List<Query.Order> orders) {
    Comparator<RowData> comparator = (a, b) -> 0;
    for (Query.Order order : orders) {
      Comparator<RowData> one = by(order.field());
      comparator = comparator.thenComparing(order.descending() ? one.reversed() : one);
    }
    return comparator.thenComparing(RowData::key);
  }

  private static Comparator<RowData> by(String field) {
    if (field.equals("window_start")) {
      return Comparator.comparingLong(r -> r.key().windowStart());
    }
    return (a, b) -> {
      if (a.dims().containsKey(field)) {
        return TEXT.compare(a.dims().get(field), b.dims().get(field));
      }
      return NUMBER.compare(
          MetricJson.sortKey(a.metrics().get(field)), MetricJson.sortKey(b.metrics().get(field)));
    };
  }
}
