package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewDefinition;
import io.oxbow.views.ViewFolder;
import io.oxbow.views.WindowSize;
import io.oxbow.views.metric.MetricValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Answers queries over one view from both layers, merged at the batch watermark W.
 *
 * <p>The seam S is W floored to the view's window. A window starting before S comes from the batch
 * view, a window starting at or after S from the speed view: every window from exactly one layer,
 * none missing. The windows are then filtered, rolled up to the query's granularity and {@code
 * groupBy} with the views module's own roll-up (so groups from both layers that fall into one
 * bucket merge as monoids: counts add, distinct counts are sketch unions), read out, sorted and
 * limited.
 *
 * <p>Thread-safe when the layers are.
 */
public final class QueryEngine {
  private final ViewCatalog catalog;
  private final BatchLayer batch;
  private final ViewLayer speed;
  private final QueryParser parser;
  private final QueryLimits limits;

  /** An engine over {@code catalog}'s views with the given layers and limits. */
  public QueryEngine(ViewCatalog catalog, BatchLayer batch, ViewLayer speed, QueryLimits limits) {
    this.catalog = catalog;
    this.batch = batch;
    this.speed = speed;
    this.limits = limits;
    this.parser = new QueryParser(limits);
  }

  /** The views answered. */
  public ViewCatalog catalog() {
    return catalog;
  }

  /**
   * Parses and runs a query from URL parameters.
   *
   * @throws QueryException 404 for an unknown view, 400 naming a bad parameter
   */
  public QueryResult query(String view, Map<String, List<String>> params) {
    ViewFolder folder =
        catalog.find(view).orElseThrow(() -> QueryException.unknownView(view, catalog.names()));
    return run(parser.parse(folder.definition(), params));
  }

  /**
   * Runs a checked query.
   *
   * @throws QueryException 400 {@code limit} when the result has more rows than allowed and no
   *     limit was given
   */
  public QueryResult run(Query query) {
    ViewFolder folder =
        catalog
            .find(query.view())
            .orElseThrow(() -> QueryException.unknownView(query.view(), catalog.names()));
    WindowSize window = folder.definition().window();
    long from = query.from().toEpochMilli();
    long to = query.to().toEpochMilli();
    OptionalLong watermark = batch.watermark(query.view());
    long seam = watermark.isPresent() ? window.startOf(watermark.getAsLong()) : Long.MIN_VALUE;

    Map<GroupKey, Aggregate> groups = new HashMap<>();
    QueryResult.Range batchRange = null;
    QueryResult.Range speedRange = null;
    if (from < seam) {
      long end = Math.min(to, seam);
      batch.read(folder, from, end).forEach((k, v) -> keep(query, folder, groups, k, v));
      batchRange = range(from, end);
    }
    if (to > seam) {
      long start = Math.max(from, seam);
      speed.read(folder, start, to).forEach((k, v) -> keep(query, folder, groups, k, v));
      speedRange = range(start, to);
    }
    List<QueryResult.Row> rows = rows(query, folder, groups);
    if (query.limit() == 0 && rows.size() > limits.maxRows()) {
      throw QueryException.badParameter(
          "limit",
          "the result has "
              + rows.size()
              + " rows, more than the maximum "
              + limits.maxRows()
              + "; set limit, narrow from/to, use a coarser granularity or fewer groupBy"
              + " dimensions");
    }
    List<QueryResult.Row> limited =
        query.limit() == 0 ? rows : rows.subList(0, Math.min(rows.size(), query.limit()));
    return new QueryResult(
        query.view(),
        watermark.isPresent() ? Instant.ofEpochMilli(watermark.getAsLong()).toString() : null,
        limited,
        new QueryResult.Sources(batchRange, speedRange));
  }

  private static void keep(
      Query query,
      ViewFolder folder,
      Map<GroupKey, Aggregate> groups,
      GroupKey key,
      Aggregate aggregate) {
    Map<String, String> dims = folder.dimensions(key);
    for (Map.Entry<String, Set<String>> filter : query.filters().entrySet()) {
      String value = dims.get(filter.getKey());
      if (!filter.getValue().contains(value == null ? "" : value)) {
        return;
      }
    }
    if (groups.putIfAbsent(key, aggregate) != null) {
      throw new IllegalStateException("window " + key + " was read from both layers");
    }
  }

  private static List<QueryResult.Row> rows(
      Query query, ViewFolder folder, Map<GroupKey, Aggregate> groups) {
    WindowSize bucket =
        query.granularity().window() == null
            ? folder.definition().window()
            : query.granularity().window();
    // roll up only the metrics asked for: every state rolled up is copied, sketches included
    ViewDefinition view = folder.definition();
    ViewFolder target =
        ViewFolder.of(
            new ViewDefinition(
                view.name(),
                view.source(),
                bucket,
                query.groupBy(),
                view.filter(),
                query.metrics().stream().map(view::metric).toList()));
    Map<GroupKey, Aggregate> rolled = folder.rollUp(groups, target);
    if (query.granularity() == Granularity.ALL) {
      rolled = wholeRange(query, target, rolled);
    }
    List<RowData> data = new ArrayList<>(rolled.size());
    for (Map.Entry<GroupKey, Aggregate> group : rolled.entrySet()) {
      Map<String, MetricValue> values = target.readOut(group.getValue());
      Map<String, MetricValue> selected = new LinkedHashMap<>();
      query.metrics().forEach(m -> selected.put(m, values.get(m)));
      data.add(new RowData(group.getKey(), target.dimensions(group.getKey()), selected));
    }
    data.sort(RowData.comparator(query.orderBy()));
    List<QueryResult.Row> rows = new ArrayList<>(data.size());
    for (RowData row : data) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      row.metrics().forEach((name, value) -> metrics.put(name, MetricJson.of(value)));
      rows.add(
          new QueryResult.Row(
              Instant.ofEpochMilli(row.key().windowStart()).toString(), row.dims(), metrics));
    }
    return rows;
  }

  /** Merges every bucket of a group into one starting at the query's from. */
  private static Map<GroupKey, Aggregate> wholeRange(
      Query query, ViewFolder target, Map<GroupKey, Aggregate> rolled) {
    long from = query.from().toEpochMilli();
    long to = query.to().toEpochMilli();
    Map<GroupKey, Aggregate> merged = new LinkedHashMap<>();
    for (Map.Entry<GroupKey, Aggregate> group : rolled.entrySet()) {
      GroupKey key = new GroupKey(from, to, group.getKey().dimensions());
      target.merge(merged.computeIfAbsent(key, k -> target.identity()), group.getValue());
    }
    return merged;
  }

  private static QueryResult.Range range(long from, long to) {
    return new QueryResult.Range(
        Instant.ofEpochMilli(from).toString(), Instant.ofEpochMilli(to).toString());
  }
}
