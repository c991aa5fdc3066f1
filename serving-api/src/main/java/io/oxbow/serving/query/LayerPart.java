package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.metric.MetricState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One layer's share of a query's answer over part of its range, rolled up to the query's buckets:
 * the rows of buckets no window of the other layer can fall into (read out, in the query's order),
 * and the aggregates of buckets shared with the other layer (the bucket holding the seam, or every
 * group with {@code granularity=all}), which merge per query. Immutable: the aggregates are never
 * modified (they are copied before anything merges into them), so a part can be cached and shared
 * by queries.
 *
 * @param rows rows of the buckets only this part holds
 * @param shared aggregates of the buckets the other layer adds to
 * @param folded groups of the part's windows folded into {@code (other)} ({@link GroupFold})
 */
record LayerPart(List<RowData> rows, Map<GroupKey, Aggregate> shared, long folded) {
  /** No windows. */
  static final LayerPart EMPTY = new LayerPart(List.of(), Map.of(), 0);

  /** Keeps unmodifiable copies of the collections. */
  LayerPart {
    rows = List.copyOf(rows);
    shared = Map.copyOf(shared);
  }

  /**
   * Splits rolled-up buckets into rows and shared aggregates.
   *
   * @param plan the query
   * @param rolled the part's groups, rolled up by {@code plan}
   * @param isShared which buckets the other layer adds to
   * @param render whether to render the rows' JSON ahead (for a part that is kept)
   * @param folded groups folded into {@code (other)} in the part's windows
   */
  static LayerPart of(
      QueryPlan plan,
      Map<GroupKey, Aggregate> rolled,
      Predicate<GroupKey> isShared,
      boolean render,
      long folded) {
    Map<GroupKey, Aggregate> own = new HashMap<>();
    Map<GroupKey, Aggregate> shared = new HashMap<>();
    rolled.forEach((key, aggregate) -> (isShared.test(key) ? shared : own).put(key, aggregate));
    List<RowData> rows = plan.rows(own);
    if (render) {
      rows.replaceAll(RowData::rendered);
    }
    return new LayerPart(rows, shared, folded);
  }

  /**
   * Heap this part holds, estimated for the cache's bound: per row its JSON text (held as a string
   * and as UTF-8 bytes) plus about 512 bytes of objects (measured: a row of the traffic view with
   * three metrics, about 170 characters of JSON, takes about 1 KB); per shared aggregate twice its
   * serialized states plus 256 bytes.
   */
  long bytes() {
    long bytes = 64;
    for (RowData row : rows) {
      bytes += 512 + (row.json() == null ? 256 : 3L * row.json().getValue().length());
    }
    for (Aggregate aggregate : shared.values()) {
      bytes += 256;
      for (MetricState state : aggregate.states()) {
        bytes += 2L * state.toBytes().length;
      }
    }
    return bytes;
  }

  /**
   * Merges the shared aggregates into {@code into}, which owns its aggregates: a bucket not there
   * yet gets a copy.
   */
  void mergeSharedInto(QueryPlan plan, Map<GroupKey, Aggregate> into) {
    shared.forEach(
        (key, aggregate) -> {
          Aggregate mine = into.get(key);
          if (mine == null) {
            into.put(key, aggregate.copy());
          } else {
            plan.target().merge(mine, aggregate);
          }
        });
  }
}
