package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewDefinition;
import io.oxbow.views.ViewFolder;
import io.oxbow.views.WindowSize;
import io.oxbow.views.metric.MetricValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one query turns a layer's stored groups into rows: its filter, the roll-up target (the
 * query's bucket size, {@code groupBy} and metrics) and its row order. Built per query; stateless
 * apart from the query.
 */
final class QueryPlan {
  private final Query query;
  private final ViewFolder folder;
  private final ViewFolder target;
  private final int[] filterIndexes;
  private final List<Set<String>> accepted = new ArrayList<>();
  private final Comparator<RowData> order;

  QueryPlan(Query query, ViewFolder folder) {
    this.query = query;
    this.folder = folder;
    ViewDefinition view = folder.definition();
    WindowSize bucket = query.granularity().rollUpWindow(view.window());
    // roll up only the metrics asked for: every state rolled up is copied, sketches included
    this.target =
        ViewFolder.of(
            new ViewDefinition(
                view.name(),
                view.source(),
                bucket,
                query.groupBy(),
                view.filter(),
                query.metrics().stream().map(view::metric).toList()));
    this.filterIndexes = new int[query.filters().size()];
    int i = 0;
    for (Map.Entry<String, Set<String>> filter : query.filters().entrySet()) {
      filterIndexes[i++] = view.dimensions().indexOf(filter.getKey());
      accepted.add(filter.getValue());
    }
    this.order = RowData.comparator(query.orderBy());
  }

  /** The order of the query's rows. */
  Comparator<RowData> order() {
    return order;
  }

  /** The query planned. */
  Query query() {
    return query;
  }

  /** The view's own folder (its stored windows and dimensions). */
  ViewFolder folder() {
    return folder;
  }

  /** The roll-up target: the query's buckets, grouped dimensions and metrics. */
  ViewFolder target() {
    return target;
  }

  /**
   * The groups of {@code read} whose window starts in {@code [from, to)} and that pass the query's
   * filters ({@code read} itself when that is all of them). Groups outside the range are dropped,
   * so two layers read over disjoint ranges never contribute the same window.
   */
  Map<GroupKey, Aggregate> keep(Map<GroupKey, Aggregate> read, long from, long to) {
    Map<GroupKey, Aggregate> kept = null;
    for (Map.Entry<GroupKey, Aggregate> group : read.entrySet()) {
      GroupKey key = group.getKey();
      boolean keep = key.windowStart() >= from && key.windowStart() < to && accepts(key);
      if (!keep && kept == null) {
        // the first group left out: copy the ones before it (all kept), then go on adding
        kept = new HashMap<>();
        for (Map.Entry<GroupKey, Aggregate> before : read.entrySet()) {
          if (before.getKey() == key) {
            break;
          }
          kept.put(before.getKey(), before.getValue());
        }
      } else if (keep && kept != null) {
        kept.put(key, group.getValue());
      }
    }
    return kept == null ? read : kept;
  }

  private boolean accepts(GroupKey key) {
    for (int i = 0; i < filterIndexes.length; i++) {
      String value = key.dimensions().get(filterIndexes[i]);
      if (!accepted.get(i).contains(value == null ? "" : value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Rolls {@code groups} up to the query's buckets and dimensions; with {@code granularity=all}
   * every bucket of a group then merges into one starting at the query's {@code from}, with {@code
   * week} or {@code month} every day into its calendar period (labelled by the period's start). The
   * returned map and aggregates are new and the caller's own (the input is not modified).
   */
  Map<GroupKey, Aggregate> rollUp(Map<GroupKey, Aggregate> groups) {
    Map<GroupKey, Aggregate> rolled = folder.rollUp(groups, target);
    Granularity granularity = query.granularity();
    if (granularity.window() != null) {
      return new HashMap<>(rolled);
    }
    long from = query.from().toEpochMilli();
    long to = query.to().toEpochMilli();
    Map<GroupKey, Aggregate> merged = new HashMap<>();
    for (Map.Entry<GroupKey, Aggregate> group : rolled.entrySet()) {
      GroupKey key;
      if (granularity == Granularity.ALL) {
        key = new GroupKey(from, to, group.getKey().dimensions());
      } else {
        long start = granularity.bucketStart(group.getKey().windowStart());
        key = new GroupKey(start, granularity.bucketEnd(start), group.getKey().dimensions());
      }
      target.merge(merged.computeIfAbsent(key, k -> target.identity()), group.getValue());
    }
    return merged;
  }

  /** The read-out row of one rolled-up bucket. */
  RowData row(GroupKey key, Aggregate aggregate) {
    Map<String, MetricValue> values = target.readOut(aggregate);
    Map<String, MetricValue> selected = new LinkedHashMap<>();
    query.metrics().forEach(m -> selected.put(m, values.get(m)));
    return new RowData(key, target.dimensions(key), selected);
  }

  /**
   * {@code [from, to)} cut at multiples of an hour, or of the query's bucket when that is coarser
   * (calendar periods at their starts), so no bucket spans two parts; one part with {@code
   * granularity=all}.
   */
  List<long[]> chunks(long from, long to) {
    List<long[]> chunks = new ArrayList<>();
    Granularity granularity = query.granularity();
    if (granularity == Granularity.ALL) {
      chunks.add(new long[] {from, to});
      return chunks;
    }
    long size = Math.max(target.definition().window().millis(), WindowSize.ONE_HOUR.millis());
    for (long start = from; start < to; ) {
      long boundary =
          granularity.isCalendar()
              ? granularity.bucketEnd(granularity.bucketStart(start))
              : Math.floorDiv(start, size) * size + size;
      long end = Math.min(to, boundary);
      chunks.add(new long[] {start, end});
      start = end;
    }
    return chunks;
  }

  /**
   * The rows of {@code lists}, each in the query's order, as one list in that order: joined as they
   * come when that is already in order (time order, lists given in time order), else sorted.
   */
  List<RowData> inOrder(List<List<RowData>> lists) {
    int size = lists.stream().mapToInt(List::size).sum();
    List<RowData> out = new ArrayList<>(size);
    boolean sorted = true;
    for (List<RowData> list : lists) {
      if (list.isEmpty()) {
        continue;
      }
      if (!out.isEmpty() && order.compare(out.get(out.size() - 1), list.get(0)) > 0) {
        sorted = false;
      }
      out.addAll(list);
    }
    if (!sorted) {
      out.sort(order);
    }
    return out;
  }

  /** The read-out rows of rolled-up buckets, in the query's order. */
  List<RowData> rows(Map<GroupKey, Aggregate> rolled) {
    List<RowData> rows = new ArrayList<>(rolled.size());
    rolled.forEach((key, aggregate) -> rows.add(row(key, aggregate)));
    rows.sort(order);
    return rows;
  }
}
